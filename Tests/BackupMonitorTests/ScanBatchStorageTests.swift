import BackupMonitorTesting
import Foundation
import Testing

@testable import BackupMonitor

@Suite("Scan storage: records saved in batches on SQLite and PostgreSQL")
struct ScanBatchStorageTests {
    static let day = CalendarDay("2026-11-27")!

    func record(_ code: String, _ status: BackupStatus, mode: ScanMode = .ddrive, details: String? = nil)
        -> BackupRecord
    {
        BackupRecord(
            mode: mode, outletCode: code, scanDate: Self.day, status: status,
            lastBackupAt: status == .success ? Date(timeIntervalSince1970: 1_795_000_000.123) : nil,
            fileName: status == .success ? "Sauvegarde été \(code).bak" : nil,
            fileSize: status == .success ? 2_630_667_468 : nil, duration: .milliseconds(17),
            failureKind: status == .success ? nil : .unreachable, errorDetails: details,
            driveLetter: mode == .ibstorage ? "G" : nil, isAdvanced: status == .success, scanID: "scan-batch",
            scannedAt: Date(timeIntervalSince1970: 1_795_000_100))
    }

    @Test(arguments: DatabaseFlavor.available)
    func aBatchStoresWhatSingleSavesStore(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let records = RecordRepository(database: database)
            // More rows than one statement carries, both statuses, both modes, NULLs and text.
            let batch =
                (1...(RecordRepository.rowsPerStatement + 7)).map { index in
                    record(String(format: "OUT%04d", index), index % 3 == 0 ? .failed : .success, details: "x'\"; --")
                } + [record("OUT0001", .success, mode: .ibstorage)]
            try await records.save(batch, drives: [:])
            let stored =
                try await records.records(matching: RecordFilter(mode: .ddrive), limit: 1000)
                + records.records(matching: RecordFilter(mode: .ibstorage), limit: 1000)
            #expect(stored.count == batch.count)
            #expect(Set(stored) == Set(batch))
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func aBatchReplacesEarlierRecordsAndKeepsTheLastOfAKey(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let records = RecordRepository(database: database)
            try await records.save(record("OUT1", .failed, details: "first scan"))
            try await records.save([record("OUT1", .failed, details: "re-scan"), record("OUT1", .success)])
            let stored = try await records.records(matching: RecordFilter(mode: .ddrive), limit: 10)
            #expect(stored == [record("OUT1", .success)])
        }
    }

    /// SPEC §5: a good record stays good against connection-level failures, and only those.
    @Test(arguments: DatabaseFlavor.available)
    func aConnectionLevelFailureKeepsAGoodRecordWithANote(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let records = RecordRepository(database: database)
            let good = record("OUT1", .success)
            try await records.save([good, record("OUT2", .failed, details: "morning")])
            var timedOut = record("OUT1", .failed, details: "Timed out: no answer to session setup within 5.0 s")
            timedOut.scannedAt = Date(timeIntervalSince1970: 1_795_003_600)
            var garbled = record("OUT1", .failed, details: "invalid NEGOTIATE")
            garbled.failureKind = .protocol
            // A failed record with nothing good before it is replaced as always.
            let kept = try await records.save([timedOut, record("OUT2", .failed, details: "later")])
            var noted = good
            noted.failedRecheck = FailedRecheck(
                at: timedOut.scannedAt, kind: .unreachable, details: timedOut.errorDetails)
            #expect(kept == [noted])
            var stored = try await records.records(matching: RecordFilter(mode: .ddrive), limit: 10)
            #expect(stored == [noted, record("OUT2", .failed, details: "later")])
            let utc = TimeZone(identifier: "UTC")!
            #expect(
                stored.first?.lastCheckText(timeZone: utc)
                    == "last checked 2026-11-18 12:06: unreachable (Timed out: no answer to session setup within 5.0 s)"
            )

            try await records.save([garbled])
            stored = try await records.records(matching: RecordFilter(mode: .ddrive, outletCode: "OUT1"), limit: 10)
            #expect(stored.first?.status == .success)
            #expect(stored.first?.failedRecheck?.kind == .protocol)

            // What the outlet says about its backup replaces the good record, and a new
            // success clears the note.
            var missing = record("OUT1", .failed, details: "no file")
            missing.failureKind = .noBackup
            #expect(try await records.save([missing]).isEmpty)
            stored = try await records.records(matching: RecordFilter(mode: .ddrive, outletCode: "OUT1"), limit: 10)
            #expect(stored == [missing])
            try await records.save([garbled])
            try await records.save([good])
            stored = try await records.records(matching: RecordFilter(mode: .ddrive, outletCode: "OUT1"), limit: 10)
            #expect(stored == [good])
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func aBatchRemembersIBStorageDrives(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let outlets = OutletRepository(database: database)
            try await outlets.save([Outlet(code: "OUT1"), Outlet(code: "OUT2", lastIBStorageDrive: "e$")])
            try await RecordRepository(database: database).save(
                [record("OUT1", .success, mode: .ibstorage)], drives: ["OUT1": "g$", "OUT2": "h$"])
            #expect(try await outlets.outlet(code: "OUT1")?.lastIBStorageDrive == "g$")
            #expect(try await outlets.outlet(code: "OUT2")?.lastIBStorageDrive == "h$")
            // An empty batch is accepted and changes nothing.
            let records = RecordRepository(database: database)
            try await records.save([], drives: [:])
            #expect(try await records.count(matching: RecordFilter(mode: .ibstorage)) == 1)
            #expect(try await outlets.outlet(code: "OUT2")?.lastIBStorageDrive == "h$")
        }
    }
}
