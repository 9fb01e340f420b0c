import Foundation
import Testing

@testable import BackupMonitor
@testable import BackupMonitorHistory

@Suite("ISO 8601 text of the original API's times")
struct ISO8601TextTests {
    /// What the original code wrote, with a formatter per call, for the instant cut to its whole
    /// second (a formatter rounds; a backup time is cut, SPEC §4).
    static func reference(_ date: Date, _ timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxxxx"
        return formatter.string(from: Date(timeIntervalSince1970: (date.timeIntervalSince1970 + 1e-7).rounded(.down)))
    }

    @Test(arguments: [
        "UTC", "Asia/Jakarta", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham",
    ])
    func matchesDateFormatter(_ zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        var random = SplitMix64(seed: 42)
        // Whole and fractional seconds from 1971 to 2099, DST changes and leap days included.
        var dates = (0..<2000).map { _ in
            Date(timeIntervalSince1970: 31_536_000 + random.unit() * 4_000_000_000)
        }
        dates += [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_795_000_000.999),
            Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 1_772_323_199.5),
        ]
        for date in dates {
            #expect(ISO8601Text.format(date, timeZone: timeZone) == Self.reference(date, timeZone), "\(date)")
        }
    }

    @Test func writesTheOffsetWithAColon() {
        let date = Date(timeIntervalSince1970: 1_771_669_800)
        #expect(ISO8601Text.format(date, timeZone: TimeZone(identifier: "UTC")!) == "2026-02-21T10:30:00+00:00")
        #expect(
            ISO8601Text.format(date, timeZone: TimeZone(identifier: "Asia/Jakarta")!) == "2026-02-21T17:30:00+07:00")
        #expect(
            ISO8601Text.format(date, timeZone: TimeZone(identifier: "America/New_York")!) == "2026-02-21T05:30:00-05:00"
        )
    }
}
