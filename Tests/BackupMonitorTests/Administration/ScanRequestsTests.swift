import BackupMonitorTesting
import Foundation
import Logging
import Testing

@testable import BackupMonitor

@Suite("Scan requests: which day and which outlets a scan may be asked for")
struct ScanRequestsTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func requests(_ database: MonitorDatabase, now: Date) throws -> ScanRequests {
        let configuration = try MonitorConfiguration(values: [
            "USER": "u", "PASS": "p", "TZ": "UTC", "DATABASE_URL": database.location.urlText,
        ])
        let coordinator = ScanCoordinator(
            configuration: configuration, database: database, source: FakeFleet(), logFile: nil,
            logger: Logger(label: "test.scan-requests"))
        return ScanRequests(coordinator: coordinator, database: database, timeZone: utc) { now }
    }

    /// The last second of a month: today is still that month's last day, tomorrow the next
    /// month's first; the day after is in the future.
    @Test func tomorrowIsTheLastDayThatCanBeJudged() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let now = CalendarDay("2026-12-31")!.start(in: Self.utc).addingTimeInterval(86399)
            let scans = try Self.requests(database, now: now)
            #expect(try scans.day(text: nil, field: "scan_date") == CalendarDay("2026-12-31"))
            #expect(try scans.day(text: "2027-01-01", field: "scan_date") == CalendarDay("2027-01-01"))
            let future = try await refusal { _ = try scans.day(text: "2027-01-02", field: "scan_date") }
            #expect(future?.shape == "invalid scan_date")
            let malformed = try await refusal { _ = try scans.day(text: "2026-02-30", field: "date") }
            #expect(malformed?.shape == "invalid date")
        }
    }

    @Test func codesAreCheckedByPositionAndDeduplicated() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let scans = try Self.requests(database, now: Date(timeIntervalSince1970: 1_795_741_200))
            #expect(try scans.outletCodes(["B", "A", "B"]) == ["B", "A"])
            #expect(try await refusal { _ = try scans.outletCodes([]) }?.shape == "invalid outlets")
            #expect(try await refusal { _ = try scans.outletCodes(["A", "b ad"]) }?.shape == "invalid outlets[1]")
            let many = (0...ScanRequests.maximumOutlets).map { "O\($0)" }
            #expect(try await refusal { _ = try scans.outletCodes(many) }?.shape == "invalid outlets")
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func unknownCodesAreNamedBeforeAnythingStarts(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            try await OutletRepository(database: database).save([Outlet(code: "A")])
            let day = CalendarDay("2026-11-27")!
            let scans = try Self.requests(database, now: day.start(in: Self.utc).addingTimeInterval(36000))
            let refused = try await refusal {
                _ = try await scans.start(mode: .ddrive, day: day, outletCodes: ["A", "NOPE"], triggeredBy: "test")
            }
            #expect(refused?.shape == "invalid outlets")
            #expect(refused?.details["unknown"] == ["NOPE"])
            #expect(try await ScanRepository(database: database).page(mode: nil, limit: 10, offset: 0).isEmpty)
            let summary = try await scans.run(mode: .ddrive, day: day, outletCodes: ["A"], triggeredBy: "test")
            #expect(summary.records.map(\.status) == [.success])
        }
    }
}
