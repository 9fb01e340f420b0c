import BackupMonitorTesting
import Foundation
import Testing

@testable import BackupMonitor

@Suite("Storage: outlets and records on SQLite and PostgreSQL")
struct RepositoryTests {
    static let day = CalendarDay("2026-11-27")!

    func record(_ code: String, _ day: CalendarDay, _ status: BackupStatus, mode: ScanMode = .ddrive) -> BackupRecord {
        BackupRecord(
            mode: mode, outletCode: code, scanDate: day, status: status,
            lastBackupAt: Date(timeIntervalSince1970: 1_795_000_000.123), fileName: "Sauvegarde été \(code).bak",
            fileSize: status == .success ? 2_630_667_468 : 10, duration: .milliseconds(42),
            failureKind: status == .success ? nil : .tooSmall, errorDetails: status == .success ? nil : "too small",
            driveLetter: mode == .ibstorage ? "F" : nil, isAdvanced: false, scanID: "scan-1",
            scannedAt: Date(timeIntervalSince1970: 1_795_000_100))
    }

    @Test(arguments: DatabaseFlavor.available)
    func outletsRoundTripAndUpsert(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let outlets = OutletRepository(database: database)
            try await outlets.save([
                Outlet(code: "OUT2", host: "10.0.0.2", name: "Two", region: "North"),
                Outlet(code: "OUT1", port: 1445, enabled: false, shareOverride: "x$"),
            ])
            #expect(try await outlets.all().map(\.code) == ["OUT1", "OUT2"])
            #expect(try await outlets.all(enabledOnly: true).map(\.code) == ["OUT2"])
            let one = try #require(try await outlets.outlet(code: "OUT1"))
            #expect(one.host == "OUT1")
            #expect(one.port == 1445)
            #expect(one.shareOverride == "x$")
            try await outlets.save([Outlet(code: "OUT1", host: "renamed")])
            #expect(try await outlets.outlet(code: "OUT1")?.host == "renamed")
            // A scan batch remembers where each outlet's IBSTORAGE folder was found.
            try await RecordRepository(database: database).save([], drives: ["OUT2": "g$"])
            #expect(try await outlets.outlet(code: "OUT2")?.lastIBStorageDrive == "g$")
            await #expect(throws: UnknownOutletsError.self) { try await outlets.outlets(codes: ["OUT2", "NOPE"]) }
            #expect(try await outlets.outlets(codes: ["OUT2", "OUT1"]).map(\.code) == ["OUT2", "OUT1"])
            #expect(try await outlets.delete(code: "OUT1"))
            #expect(try await !outlets.delete(code: "OUT1"))
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func recordsAreReplacedFilteredAndCounted(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let records = RecordRepository(database: database)
            let day = Self.day
            try await records.save(record("OUT1", day, .failed))
            try await records.save(record("OUT1", day, .success))  // the re-scan replaces it
            try await records.save(record("OUT2", day, .failed))
            try await records.save(record("OUT1", day.adding(days: -1), .success))
            try await records.save(record("OUT1", day, .success, mode: .ibstorage))

            let all = try await records.records(matching: RecordFilter(mode: .ddrive), limit: 10)
            #expect(all.map(\.outletCode) == ["OUT1", "OUT2", "OUT1"])
            #expect(all[0] == record("OUT1", day, .success))
            #expect(all[0].fileSizeText == "2.45 GB")
            let failed = RecordFilter(mode: .ddrive, status: .failed)
            #expect(try await records.count(matching: failed) == 1)
            #expect(try await records.records(matching: failed, limit: 10).first?.failureKind == .tooSmall)
            let paged = try await records.records(matching: RecordFilter(mode: .ddrive), limit: 1, offset: 1)
            #expect(paged.map(\.outletCode) == ["OUT2"])
            let ranged = RecordFilter(
                mode: .ddrive, outletCode: "OUT1", from: day.adding(days: -1), to: day.adding(days: -1))
            #expect(try await records.records(matching: ranged, limit: 10).map(\.scanDate) == [day.adding(days: -1)])
            let counts = try await records.dailyCounts(matching: RecordFilter(mode: .ddrive))
            #expect(
                counts == [
                    DailyCount(day: day.adding(days: -1), successful: 1, failed: 0),
                    DailyCount(day: day, successful: 1, failed: 1),
                ])
            let ib = try await records.records(matching: RecordFilter(mode: .ibstorage), limit: 10)
            #expect(ib.map(\.driveLetter) == ["F"])
        }
    }
}
