import BackupMonitorTesting
import Foundation
import SQLKit
import Testing

@testable import BackupMonitor

/// Each table's columns are declared once (`RecordColumns`, `OutletColumns`); these tests fail
/// when a column is added in one place only: the migration, the names, the values or the reader.
@Suite("Storage columns: one declaration per table")
struct StorageColumnsTests {
    /// The table's columns as the database has them, in table order.
    static func tableColumns(_ table: String, _ database: MonitorDatabase) async throws -> [String] {
        try await database.withSQL { sql in
            switch database.kind {
            case .sqlite:
                return try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table)) ORDER BY cid").all()
                    .map { try $0.decode(column: "name", as: String.self) }
            case .postgres:
                return try await sql.raw(
                    """
                    SELECT column_name AS name FROM information_schema.columns
                    WHERE table_name = \(bind: table) AND table_schema = current_schema() ORDER BY ordinal_position
                    """
                ).all().map { try $0.decode(column: "name", as: String.self) }
            }
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func theDeclarationsMatchTheTables(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let records = try await Self.tableColumns("backup_records", database)
            let outlets = try await Self.tableColumns("outlets", database)
            // backup_records holds exactly the declared columns, in order. outlets also keeps its
            // own timestamps, which no reader returns, and the per-outlet credential columns of
            // migration 1, which the per-outlet credentials work will declare and read.
            #expect(records == RecordColumns.names)
            let unread: Set = ["created_at", "updated_at", "username_override", "password_override_sealed"]
            #expect(outlets.filter { !unread.contains($0) } == OutletColumns.names)
        }
        let record = BackupRecord(
            mode: .ddrive, outletCode: "O", scanDate: CalendarDay("2026-11-27")!, status: .success, duration: .zero,
            scannedAt: Date())
        #expect(RecordColumns.values(of: record).count == RecordColumns.names.count)
        #expect(OutletColumns.values(of: Outlet(code: "O")).count == OutletColumns.names.count)
    }

    /// Every field set, written and read back on both databases: a value written into the wrong
    /// position or read from the wrong one shows up as a difference.
    @Test(arguments: DatabaseFlavor.available)
    func everyFieldSurvivesARoundTrip(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let outlet = Outlet(
                code: "OUT1", host: "10.1.2.3", port: 1445, name: "Mall", region: "North", enabled: false,
                shareOverride: "e$", folderOverride: "Backups", lastIBStorageDrive: "g$")
            try await OutletRepository(database: database).save([outlet])
            #expect(try await OutletRepository(database: database).all() == [outlet])

            let record = BackupRecord(
                mode: .ibstorage, outletCode: "OUT1", scanDate: CalendarDay("2026-11-27")!, status: .failed,
                lastBackupAt: Date(timeIntervalSince1970: 1_795_741_200.123), fileName: "OUT1.bak",
                fileSize: 2_630_000_000, duration: .milliseconds(1234), failureKind: .stale,
                errorDetails: "two days old", driveLetter: "G", isAdvanced: true, scanID: "scan-1",
                scannedAt: Date(timeIntervalSince1970: 1_795_770_000.456))
            let records = RecordRepository(database: database)
            try await records.save([record])
            let read = try await records.records(matching: RecordFilter(mode: .ibstorage), limit: 10)
            #expect(read == [record])
        }
    }
}
