import Foundation

/// When scheduled scans and their re-scans run (SPEC §6 scheduled scans; variables
/// `SCHEDULE_DDRIVE`, `SCHEDULE_IBSTORAGE`, `RETRY_INTERVAL_MINUTES`, `RETRY_UNTIL`).
///
/// Catch-up rule: a slot whose time passed while the server was down runs at start-up only
/// while it is still before its deadline, which is the `RETRY_UNTIL` cut-off when the slot is
/// earlier than the cut-off, and the end of the slot's day otherwise. A scan long after the
/// morning's cut-off would report on a day people have already acted on, so it is recorded as
/// `missed` instead. Every slot, run, skipped or missed, is stored per mode and day, so a
/// restart never runs one twice.
public struct ScheduleSettings: Sendable, Hashable {
    public var times: [ScanMode: [LocalTime]]
    public var retryInterval: Duration?
    public var retryUntil: LocalTime?
    public var timeZone: TimeZone

    public init(
        times: [ScanMode: [LocalTime]], retryInterval: Duration?, retryUntil: LocalTime?, timeZone: TimeZone
    ) {
        self.times = times
        self.retryInterval = retryInterval
        self.retryUntil = retryUntil
        self.timeZone = timeZone
    }

    public init(configuration: MonitorConfiguration) {
        self.init(
            times: configuration.scheduleTimes, retryInterval: configuration.retryInterval,
            retryUntil: configuration.retryUntil, timeZone: configuration.timeZone)
    }

    /// Modes that have at least one slot.
    public var scheduledModes: [ScanMode] { ScanMode.allCases.filter { !(times[$0] ?? []).isEmpty } }

    /// The end of re-scans on `day`: `RETRY_UNTIL` that day, or the end of the day.
    public func cutoff(on day: CalendarDay) -> Date {
        guard let retryUntil else { return day.end(in: timeZone) }
        return day.instant(of: retryUntil, in: timeZone)
    }

    /// The last moment a missed `slot` of `day` may still be caught up (see the type's comment).
    public func catchUpDeadline(_ slot: LocalTime, on day: CalendarDay) -> Date {
        if let retryUntil, slot < retryUntil { return day.instant(of: retryUntil, in: timeZone) }
        return day.end(in: timeZone)
    }
}
