import Synchronization

/// Applies the adaptive concurrency to a scan's session slots: every outlet's session end goes
/// to the controller, and a new limit goes to the slots at once. Called from every worker.
///
/// The outlets in flight (connecting, or connected and waiting for a slot) follow the same
/// limit: `inFlight.perSession` of them per session slot. Connects are paced by the path too, so
/// a congested link is not handed a thousand SYNs at once, and no outlet waits so long for its
/// slot that its own deadline runs out in the monitor's queue.
final class ConcurrencyGovernor: Sendable {
    /// The gate of outlets in flight, and how many per session slot.
    struct InFlight: Sendable {
        var slots: SessionSlots
        var perSession: Int
        /// The open-file limit's share for sockets.
        var cap: Int

        func limit(forSessions sessions: Int) -> Int {
            max(sessions, min(sessions * perSession, cap))
        }
    }

    private let controller: Mutex<ConcurrencyController>
    private let slots: SessionSlots
    private let inFlight: InFlight?
    private let begin: ContinuousClock.Instant

    init(
        _ settings: ConcurrencyController.Settings, slots: SessionSlots, inFlight: InFlight? = nil,
        begin: ContinuousClock.Instant
    ) {
        controller = Mutex(ConcurrencyController(settings))
        self.slots = slots
        self.inFlight = inFlight
        self.begin = begin
        apply(settings.initial)
    }

    private func apply(_ limit: Int) {
        slots.setLimit(limit)
        if let inFlight { inFlight.slots.setLimit(inFlight.limit(forSessions: limit)) }
    }

    var limit: Int { controller.withLock { $0.limit } }

    /// Outlets that never got a session (they did not connect) say nothing about the path.
    func observe(_ result: OutletScanner.Result) {
        guard let sessionTime = result.sessionTime else { return }
        let outcome: ConcurrencyController.Outcome = result.timedOut ? .timedOut : .answered(sessionTime)
        let now = begin.duration(to: .now)
        controller.withLock { controller in
            // Under the lock, so that two limits never reach the slots out of order.
            if let limit = controller.observe(outcome, at: now) { apply(limit) }
        }
    }

    var report: (steps: [ConcurrencyStep], cuts: Int, lowest: Int) {
        controller.withLock { controller in
            let steps = controller.steps.map { ConcurrencyStep(at: $0.at, limit: $0.limit) }
            return (steps, controller.cuts, steps.map(\.limit).min() ?? controller.limit)
        }
    }
}

/// Measures how late the monitor's event loop runs its timers during a scan: a timer every
/// `interval` on one check executor, and the worst delay past its due time. A starved process
/// (CPU taken by other work, a VM without its cores) shows here before it shows as time-outs.
final class LoopLagProbe: Sendable {
    private struct State {
        var worst: Duration = .zero
        var stopped = false
        var cancel: (@Sendable () -> Void)?
    }

    private let executor: any ScanCheckExecutor
    private let interval: Duration
    private let state = Mutex(State())

    init(executor: any ScanCheckExecutor, interval: Duration = .milliseconds(200)) {
        self.executor = executor
        self.interval = interval
    }

    func start() { schedule() }

    /// Stops the timers and returns the worst lag seen.
    func stop() -> Duration {
        let (worst, cancel) = state.withLock { state in
            state.stopped = true
            defer { state.cancel = nil }
            return (state.worst, state.cancel)
        }
        cancel?()
        return worst
    }

    private func schedule() {
        let due = ContinuousClock.now + interval
        let cancel = executor.deadline(after: interval) { [self] in
            let lag = due.duration(to: .now)
            let stopped = state.withLock { state in
                state.worst = max(state.worst, lag)
                return state.stopped
            }
            if !stopped { schedule() }
        }
        state.withLock { state in
            if state.stopped { cancel() } else { state.cancel = cancel }
        }
    }
}
