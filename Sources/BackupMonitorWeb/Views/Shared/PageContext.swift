import BackupMonitor
import Foundation

/// What every page knows about its request: who is looking, which mode and day they chose
/// (the layout's switch and date picker), and the clock, fixed in snapshot tests.
struct PageContext: Sendable {
    var username: String
    var role: UserRole
    /// The session's CSRF token, written into every form as `_csrf`; nil for API tokens.
    var csrfToken: String?
    var mode: ScanMode
    var day: CalendarDay
    var now: Date
    var timeZone: TimeZone

    var today: CalendarDay { CalendarDay(containing: now, in: timeZone) }

    var canOperate: Bool { role >= .operator }
    var isAdmin: Bool { role >= .admin }

    /// `mode` and `date` to carry from page to page; the defaults are left out.
    var selection: [(String, String?)] {
        [("mode", mode == .ddrive ? nil : mode.rawValue), ("date", day == today ? nil : day.description)]
    }

    /// The hidden field every POST form carries (SPEC §11 CSRF protection on forms).
    var csrfField: HTML {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(csrfToken ?? "")\">"
    }
}

/// How values read on the pages: times in the monitor's zone, sizes, rates and durations.
enum Format {
    static func dateTime(_ date: Date?, _ timeZone: TimeZone) -> String {
        guard let date else { return "—" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "—" }
        return String(format: "%.1f %%", Double(part) * 100 / Double(whole))
    }

    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.milliseconds
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        let seconds = Double(milliseconds) / 1000
        if seconds < 120 { return String(format: "%.1f s", seconds) }
        return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }

    static func size(_ bytes: UInt64?) -> String {
        bytes.map(ByteCountText.format) ?? "—"
    }

    static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}
