import NIOCore

/// Runs Swift tasks on a NIO event loop, so a session's task and its channel share one thread.
///
/// Every request of a session is an `await` on a future completed by the channel handler; on
/// the default executor each resumption hops to a pool thread (a futex wake-up and a context
/// switch), and each write hops back onto the loop (an eventfd wake-up). With this executor
/// preferred, the task resumes on the loop thread that completed the future, and writes run
/// inline. ``SMB2Client/withSession(host:port:credentials:afterConnect:isolation:_:)`` prefers the executor
/// of its loop by itself; callers that run many sessions can start their tasks on one (see
/// ``SMB2Client/makeTaskExecutor()``) so that no hop is left at all.
public final class SMB2TaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    /// Calls `fire` on this executor's thread after `delay`, unless the returned timer is
    /// cancelled first: a deadline without a timer thread of its own.
    public func schedule(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> Timer {
        Timer(scheduled: eventLoop.scheduleTask(in: TimeAmount.from(delay), fire))
    }

    public struct Timer: Sendable {
        let scheduled: Scheduled<Void>

        public func cancel() {
            scheduled.cancel()
        }
    }
}
