import NIOCore

/// Runs Swift tasks on a NIO event loop, so a session's task and its channel share one thread.
///
/// Every request of a session is an `await` on a future completed by the channel handler; on
/// the default executor each resumption hops to a pool thread (a futex wake-up and a context
/// switch), and each write hops back onto the loop (an eventfd wake-up). With this executor
/// preferred, the task resumes on the loop thread that completed the future, and writes run
/// inline.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
