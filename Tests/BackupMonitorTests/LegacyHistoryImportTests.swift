import BackupMonitorTesting
import Foundation
import Testing

@testable import BackupMonitor

/// SPEC §13: the original system's history imported from the four ways people export it.
@Suite("import-legacy: the original tables' history")
struct LegacyHistoryImportTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let jakarta = TimeZone(identifier: "Asia/Jakarta")!

    /// The same three rows (and one bad one, on the given line) as each tool writes them.
    static let exports: [(name: String, text: String, badLine: Int)] = [
        (
            "SSMS with header",
            """
            OutletServer,ScanDate,Status,LastBackupTaken,BackupFile,BackupFileSize,Duration,ErrorDetails
            OUTLET001,2026-02-21,Successful,2026-02-21 02:00:00.000,OUTLET001_FULL.bak,2.45 GB,1.53,NULL
            OUTLET002,2026-02-21,Failed,NULL,NULL,NULL,5.02,Connection timed out, after 5 s
            OUTLET003,2026-02-21,Failed,NULL,NULL,NULL,0.2,The backup job wrote nothing
            OUTLET004,2026-02-30,Successful,NULL,NULL,NULL,0.1,NULL

            """, 5
        ),
        (
            "SSMS without header",
            """
            OUTLET001,2026-02-21,Successful,2026-02-21 02:00:00.000,OUTLET001_FULL.bak,2.45 GB,1.53,NULL
            OUTLET002,2026-02-21,Failed,NULL,NULL,NULL,5.02,Connection timed out, after 5 s
            OUTLET003,2026-02-21,Failed,NULL,NULL,NULL,0.2,The backup job wrote nothing
            OUTLET004,2026-02-21,Maybe,NULL,NULL,NULL,0.1,NULL
            """, 4
        ),
        (
            "bcp -c -t,",
            """
            OUTLET001,2026-02-21,Successful,2026-02-21 02:00:00.000,OUTLET001_FULL.bak,2.45 GB,1.53,
            OUTLET002,2026-02-21,Failed,,,,5.02,Connection timed out, after 5 s
            OUTLET003,2026-02-21,Failed,,,,0.2,The backup job wrote nothing
            OUTLET004,2026-02-21,Successful,,,lots,0.1,

            """, 4
        ),
        (
            "sqlcmd -s, -W",
            """
            OutletServer,ScanDate,Status,LastBackupTaken,BackupFile,BackupFileSize,Duration,ErrorDetails
            ------------,--------,------,---------------,----------,--------------,--------,------------
            OUTLET001,2026-02-21,Successful,2026-02-21 02:00:00.000,OUTLET001_FULL.bak,2.45 GB,1.53,NULL
            OUTLET002,2026-02-21,Failed,NULL,NULL,NULL,5.02,Connection timed out, after 5 s
            OUTLET003,2026-02-21,Failed,NULL,NULL,NULL,0.2,The backup job wrote nothing
            OUTLET 4,2026-02-21,Failed,NULL,NULL,NULL,0.1,NULL

            (4 rows affected)

            """, 6
        ),
        (
            "Export-Csv",
            """
            #TYPE System.Data.DataRow
            "OutletServer","ScanDate","Status","LastBackupTaken","BackupFile","BackupFileSize","Duration","ErrorDetails"
            "OUTLET001","21/02/2026 00:00:00","Successful","2026-02-21 02:00:00","OUTLET001_FULL.bak","2.45 GB","1.53",""
            "OUTLET002","2026-02-21","Failed","","","","5.02","Connection timed out, after 5 s"
            "OUTLET003","2026-02-21","Failed","","","","0.2","The backup job
            wrote nothing"
            "OUTLET004","2026-02-21","Successful","","","","0.1",""

            """, 3
        ),
    ]

    static func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("legacy-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: exports.map(\.name))
    func everyExportImportsItsRowsAndABadRowNamesItsLine(_ name: String) async throws {
        let export = try #require(Self.exports.first { $0.name == name })
        let path = try Self.write(export.text)
        defer { unlink(path) }
        try await TestDatabase.with(.sqlite) { database in
            let importer = LegacyHistoryImport(database: database, timeZone: Self.jakarta)
            let failure = await #expect(throws: LegacyHistoryImport.Failure.self) {
                try await importer.run(path: path, .init(mode: .ddrive))
            }
            #expect(failure?.report.problems.count == 1)
            #expect(
                failure?.report.problems.first?.hasPrefix("line \(export.badLine): ") == true,
                "\(failure?.report.problems ?? [])")
            #expect(try await RecordRepository(database: database).count(matching: RecordFilter(mode: .ddrive)) == 0)

            // Export-Csv's first row has a day in another format: it is the bad one there.
            let report = try await importer.run(path: path, .init(mode: .ddrive, skipBad: true))
            let good =
                name == "Export-Csv"
                ? ["OUTLET002", "OUTLET003", "OUTLET004"] : ["OUTLET001", "OUTLET002", "OUTLET003"]
            #expect(report.imported == 3 && report.skippedRows == 1)
            #expect(report.createdOutlets == good)
            let stored = try await RecordRepository(database: database).records(
                matching: RecordFilter(mode: .ddrive), limit: 10)
            let byCode = Dictionary(uniqueKeysWithValues: stored.map { ($0.outletCode, $0) })
            if let first = byCode["OUTLET001"] {
                #expect(first.status == .success && first.isImported)
                #expect(first.fileSizeText == "2.45 GB")
                #expect(first.fileSize == 2_630_667_469)
                // 02:00 in Jakarta is 19:00 UTC the day before.
                #expect(first.lastBackupAt == Date(timeIntervalSince1970: 1_771_614_000))
                #expect(first.duration == .milliseconds(1530))
            }
            #expect(byCode["OUTLET002"]?.failureKind == .unreachable)
            #expect(byCode["OUTLET002"]?.errorDetails == "Connection timed out, after 5 s")
            #expect(byCode["OUTLET003"]?.failureKind == .imported)
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func aReImportIsIdempotentAndNeverReplacesOurScans(_ flavor: DatabaseFlavor) async throws {
        let path = try Self.write(Self.exports[0].text.replacingOccurrences(of: "2026-02-30", with: "2026-02-21"))
        defer { unlink(path) }
        try await TestDatabase.with(flavor) { database in
            let records = RecordRepository(database: database)
            try await OutletRepository(database: database).save([Outlet(code: "OUTLET003")])
            let ours = BackupRecord(
                mode: .ddrive, outletCode: "OUTLET003", scanDate: CalendarDay("2026-02-21")!, status: .success,
                fileName: "ours.bak", fileSize: 5_000_000, duration: .milliseconds(40), scanID: "scan-1",
                scannedAt: Date(timeIntervalSince1970: 1_771_650_000))
            try await records.save([ours])
            let importer = LegacyHistoryImport(database: database, timeZone: Self.utc)
            let dry = try await importer.run(path: path, .init(mode: .ddrive, dryRun: true))
            #expect(
                dry.rows == 4 && dry.imported == 0 && dry.createdOutlets == ["OUTLET001", "OUTLET002", "OUTLET004"])
            #expect(try await records.count(matching: RecordFilter(mode: .ddrive)) == 1)
            let first = try await importer.run(path: path, .init(mode: .ddrive))
            #expect(first.imported == 3 && first.keptOurs == 1)
            let again = try await importer.run(path: path, .init(mode: .ddrive))
            #expect(again.imported == 3 && again.keptOurs == 1 && again.createdOutlets.isEmpty)
            let stored = try await records.records(matching: RecordFilter(mode: .ddrive), limit: 10)
            #expect(stored.count == 4)
            #expect(stored.first { $0.outletCode == "OUTLET003" } == ours)
        }
    }

    @Test func withoutCreatingOutletsTheirRowsAreLeftOutAndListed() async throws {
        let path = try Self.write(Self.exports[1].text.replacingOccurrences(of: "Maybe", with: "Failed"))
        defer { unlink(path) }
        try await TestDatabase.with(.sqlite) { database in
            try await OutletRepository(database: database).save([Outlet(code: "OUTLET001")])
            let report = try await LegacyHistoryImport(database: database, timeZone: Self.utc).run(
                path: path, .init(mode: .ddrive, createOutlets: false))
            #expect(report.unknownOutlets == ["OUTLET002", "OUTLET003", "OUTLET004"])
            #expect(report.imported == 1)
            #expect(try await OutletRepository(database: database).all().map(\.code) == ["OUTLET001"])
        }
    }

    @Test func ibstorageRowsKeepTheirDriveLetter() async throws {
        let path = try Self.write(
            "OUTLET001,2026-02-21,Successful,2026-02-21 03:10:00,OUTLET001.zip,1.77 MB,2.5,NULL,G\n")
        defer { unlink(path) }
        try await TestDatabase.with(.sqlite) { database in
            _ = try await LegacyHistoryImport(database: database, timeZone: Self.utc).run(
                path: path, .init(mode: .ibstorage))
            let stored = try await RecordRepository(database: database).records(
                matching: RecordFilter(mode: .ibstorage), limit: 10)
            #expect(stored.map(\.driveLetter) == ["G"])
            #expect(stored.first?.fileSizeText == "1.77 MB")
        }
    }

    @Test func errorSentencesNameTheirKind() {
        #expect(LegacyFailureKind.infer("Logon failure: unknown user name or bad password.") == .auth)
        #expect(LegacyFailureKind.infer("The system cannot find the path specified") == .folderMissing)
        #expect(LegacyFailureKind.infer("[WinError 10060] A connection attempt failed … timed out") == .unreachable)
        #expect(LegacyFailureKind.infer("The network name cannot be found") == .shareMissing)
        #expect(LegacyFailureKind.infer("something odd") == .imported)
        #expect(LegacyFailureKind.infer(nil) == .imported)
    }
}
