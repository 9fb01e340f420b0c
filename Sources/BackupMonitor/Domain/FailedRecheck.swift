import Foundation

/// A later check of a day that already had a good backup, which failed at connection level
/// (SPEC §5): it says nothing about the backup, so the good record stays and carries this note.
public struct FailedRecheck: Sendable, Hashable {
    public var at: Date
    public var kind: FailureKind
    public var details: String?

    public init(at: Date, kind: FailureKind, details: String?) {
        self.at = at
        self.kind = kind
        self.details = details
    }

    /// Failures of the way to the outlet rather than of its backup: no answer, a time-out, an
    /// answer that made no sense. A missing file, folder or share, a stale or small backup, and
    /// refused credentials are things the outlet said, and replace a good record.
    public static func isConnectionLevel(_ kind: FailureKind) -> Bool {
        kind == .unreachable || kind == .protocol
    }

    /// "last checked 06:12: unreachable (Timed out: …)", with the date too when the check was
    /// not on the record's own day.
    public func sentence(day: CalendarDay, timeZone: TimeZone) -> String {
        // `2026-12-03T06:12:09+01:00`: the local date, then the hours and minutes.
        let stamp = ISO8601Text.format(at, timeZone: timeZone)
        let date = stamp.prefix(10)
        let time = stamp.dropFirst(11).prefix(5)
        let when = date == day.description ? "\(time)" : "\(date) \(time)"
        let reason = details.map { "\(kind.rawValue) (\($0))" } ?? kind.rawValue
        return "last checked \(when): \(reason)"
    }
}
