import Foundation

/// The scheduler's view of time, injected so tests can move it (DST days, restarts, cut-offs)
/// without waiting.
public protocol SchedulerClock: Sendable {
    /// The current wall-clock instant.
    func now() -> Date
    /// Returns at `deadline` or earlier (callers re-read `now()` and decide again); throws
    /// `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The real clock. Sleeps in steps of at most a minute, so a wall-clock change (NTP step,
/// suspended VM) is noticed within a minute instead of after a long monotonic sleep.
public struct SystemSchedulerClock: SchedulerClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { return }
        try await Task.sleep(for: .milliseconds(Int64(min(remaining, 60) * 1000)))
    }
}
