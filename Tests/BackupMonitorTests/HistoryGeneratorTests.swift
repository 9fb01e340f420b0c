import BackupMonitorTesting
import Foundation
import Testing

@testable import BackupMonitor
@testable import BackupMonitorHistory

@Suite("History generator of the web benchmark, on SQLite and PostgreSQL")
struct HistoryGeneratorTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let end = CalendarDay("2026-11-26")!

    static func options(seed: UInt64 = 7) -> HistoryGenerator.Options {
        .init(outlets: 40, days: 30, endDate: end, seed: seed, timeZone: utc)
    }

    @Test(arguments: DatabaseFlavor.available)
    func fillsEveryOutletDayAndModeWithPlausibleRecords(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let report = try await HistoryGenerator(database: database, options: Self.options()).run(replace: false)
            #expect(report.outlets == 40)
            #expect(report.records == 40 * 30 * 2)
            #expect(report.scans == 30 * 2)

            let outlets = try await OutletRepository(database: database).all()
            #expect(outlets.count == 40)
            #expect(outlets.first?.code == "OUTLET0001")
            #expect(
                outlets.allSatisfy { HistoryGenerator.regions.contains($0.region) && $0.validationProblems.isEmpty })

            let repository = RecordRepository(database: database)
            let start = Self.end.adding(days: -29)
            for mode in ScanMode.allCases {
                let records = try await repository.records(matching: RecordFilter(mode: mode), limit: 10_000)
                #expect(records.count == 1200)
                #expect(Set(records.map { "\($0.outletCode) \($0.scanDate)" }).count == 1200)
                #expect(records.map(\.scanDate).min() == start)
                #expect(records.map(\.scanDate).max() == Self.end)
                let failed = records.filter { $0.status == .failed }
                // Mostly successful, but a month of 40 outlets always shows some failures.
                #expect(!failed.isEmpty)
                #expect(failed.count < records.count / 5)
                #expect(failed.allSatisfy { $0.failureKind != nil && !($0.errorDetails ?? "").isEmpty })
                for record in records where record.status == .success {
                    let at = try #require(record.lastBackupAt)
                    #expect(CalendarDay(containing: at, in: Self.utc) == record.scanDate)
                    #expect((record.fileSize ?? 0) >= 1_048_576)
                    #expect(record.fileName?.hasPrefix(record.outletCode + "_FULL_") == true)
                    #expect((mode == .ibstorage) == (record.driveLetter != nil))
                }
                // The checks below look at these kinds: the seed's history must hold some.
                #expect(failed.contains { $0.failureKind == .stale })
                #expect(failed.contains { $0.failureKind == .unreachable })
                for record in failed where record.failureKind == .stale {
                    // A stale record still names the newest file seen, from an earlier day.
                    let at = try #require(record.lastBackupAt)
                    #expect(CalendarDay(containing: at, in: Self.utc) < record.scanDate)
                }
                for record in failed where record.failureKind == .unreachable {
                    #expect(record.fileName == nil)
                }
            }
            let scans = try await ScanRepository(database: database).recent(mode: .ddrive, limit: 100)
            #expect(scans.count == 30)
            #expect(scans.first?.day == Self.end)
            #expect(scans.allSatisfy { $0.state == .finished && $0.total == 40 && $0.succeeded + $0.failed == 40 })
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func sameSeedGivesSameRowsAndANonEmptyDatabaseNeedsReplace(_ flavor: DatabaseFlavor) async throws {
        let first = try await TestDatabase.with(flavor) { database in
            _ = try await HistoryGenerator(database: database, options: Self.options()).run(replace: false)
            return try await RecordRepository(database: database).records(
                matching: RecordFilter(mode: .ibstorage), limit: 10_000)
        }
        try await TestDatabase.with(flavor) { database in
            let generator = HistoryGenerator(database: database, options: Self.options())
            _ = try await generator.run(replace: false)
            let repository = RecordRepository(database: database)
            #expect(try await repository.records(matching: RecordFilter(mode: .ibstorage), limit: 10_000) == first)

            await #expect(throws: HistoryGenerator.NotEmptyError.self) { try await generator.run(replace: false) }
            let other = HistoryGenerator(database: database, options: Self.options(seed: 8))
            let report = try await other.run(replace: true)
            #expect(report.records == 2400)
            #expect(try await repository.count(matching: RecordFilter(mode: .ddrive)) == 1200)
            #expect(try await repository.records(matching: RecordFilter(mode: .ibstorage), limit: 10_000) != first)
        }
    }

    /// A monitor's own database (a scan the generator did not write) is never wiped, even with
    /// `replace` (`--force`): a DATABASE_URL typo cannot delete real history.
    @Test(arguments: DatabaseFlavor.available)
    func aDatabaseWithRealScansIsNeverReplaced(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            try await OutletRepository(database: database).save([Outlet(code: "REAL1")])
            try await ScanRepository(database: database).insert(
                ScanStarted(
                    scanID: "00000000-0000-0000-0000-00000000beef", mode: .ddrive, day: Self.end, kind: .full,
                    triggeredBy: "schedule", total: 1, startedAt: Date()))
            let generator = HistoryGenerator(database: database, options: Self.options())
            await #expect(throws: HistoryGenerator.RealHistoryError.self) { try await generator.run(replace: true) }
            #expect(try await OutletRepository(database: database).all().map(\.code) == ["REAL1"])
        }
    }
}
