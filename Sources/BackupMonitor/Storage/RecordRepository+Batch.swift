import Foundation
import SQLKit

extension RecordRepository {
    /// Rows per INSERT statement: 17 binds a row stays far below SQLite's 32 766 and
    /// PostgreSQL's 65 535 parameters per statement.
    static let rowsPerStatement = 256

    /// Stores several results in one transaction (one commit, so one WAL sync instead of one
    /// per record), replacing earlier records with the same key, and remembers each outlet's
    /// IBSTORAGE drive where `drives` names one (`Outlet.lastIBStorageDrive`, tried first next
    /// time). Either everything is stored or, when it throws, nothing.
    ///
    /// A good record stays good (SPEC §5): a result that failed at connection level does not
    /// replace a `success` of the same key; the success is kept with a note of that check
    /// (`FailedRecheck`). Returns the records kept that way, as now stored, for the caller to
    /// report instead of the failures it passed.
    ///
    /// A key given twice keeps the later record (PostgreSQL refuses a statement that updates a
    /// row twice).
    @discardableResult
    public func save(_ records: [BackupRecord], drives: [String: String] = [:]) async throws -> [BackupRecord] {
        guard !records.isEmpty || !drives.isEmpty else { return [] }
        let rows = Self.lastPerKey(records)
        return try await database.transaction { sql in
            let kept = try await Self.keepGoodRecords(against: rows, sql)
            let written = kept.isEmpty ? rows : rows.filter { kept[RecordKey($0)] == nil }
            var start = written.startIndex
            while start < written.endIndex {
                let end = min(start + Self.rowsPerStatement, written.endIndex)
                try await sql.execute(sql: RecordUpsert(rows: written[start..<end])) { _ in }
                start = end
            }
            for (code, drive) in drives.sorted(by: { $0.key < $1.key }) {
                try await sql.update("outlets").set("last_ib_drive", to: SQLBind(drive))
                    .where("code", .equal, SQLBind(code)).run()
            }
            return kept.values.sorted { ($0.scanDate, $0.outletCode) < ($1.scanDate, $1.outletCode) }
        }
    }

    /// The good records that `rows`' connection-level failures must not replace, each noted
    /// with its failed check and that note stored. Costs nothing when no row failed that way
    /// (a healthy scan), and one read per mode and day otherwise.
    private static func keepGoodRecords(against rows: [BackupRecord], _ sql: any SQLDatabase) async throws
        -> [RecordKey: BackupRecord]
    {
        var failures: [DayKey: [String: FailedRecheck]] = [:]
        for row in rows {
            guard row.status == .failed, let kind = row.failureKind, FailedRecheck.isConnectionLevel(kind) else {
                continue
            }
            failures[DayKey(mode: row.mode, scanDate: row.scanDate), default: [:]][row.outletCode] = FailedRecheck(
                at: Date(unixMilliseconds: row.scannedAt.unixMilliseconds), kind: kind, details: row.errorDetails)
        }
        var kept: [RecordKey: BackupRecord] = [:]
        for (day, rechecks) in failures {
            let found = try await sql.select().columns(RecordColumns.names.map { SQLColumn($0) })
                .from("backup_records")
                .where("mode", .equal, SQLBind(day.mode.rawValue))
                .where("scan_date", .equal, SQLBind(day.scanDate.description))
                .where("status", .equal, SQLBind(BackupStatus.success.rawValue))
                .where("outlet_code", .in, SQLBind.group(rechecks.keys.sorted()))
                .all()
            var days = DayParser()
            for row in found {
                var cells = SQLRowCells(row, columns: RecordColumns.names)
                var record = try RecordColumns.record(from: &cells, days: &days)
                guard let recheck = rechecks[record.outletCode] else { continue }
                record.failedRecheck = recheck
                try await sql.update("backup_records")
                    .set("last_check_at", to: SQLBind(recheck.at.unixMilliseconds))
                    .set("last_check_kind", to: SQLBind(recheck.kind.rawValue))
                    .set("last_check_details", to: SQLBind(recheck.details))
                    .where("mode", .equal, SQLBind(record.mode.rawValue))
                    .where("outlet_code", .equal, SQLBind(record.outletCode))
                    .where("scan_date", .equal, SQLBind(record.scanDate.description))
                    .run()
                kept[RecordKey(record)] = record
            }
        }
        return kept
    }

    /// A mode and a day: the records one read of kept successes covers.
    private struct DayKey: Hashable {
        var mode: ScanMode
        var scanDate: CalendarDay
    }

    /// `records` without earlier duplicates of a (mode, outlet, day) key, in their first order.
    static func lastPerKey(_ records: [BackupRecord]) -> [BackupRecord] {
        var index: [RecordKey: Int] = [:]
        var rows: [BackupRecord] = []
        rows.reserveCapacity(records.count)
        for record in records {
            let key = RecordKey(record)
            if let at = index[key] {
                rows[at] = record
            } else {
                index[key] = rows.count
                rows.append(record)
            }
        }
        return rows
    }
}

/// A record's key: (mode, outlet, day), unique in `backup_records`.
struct RecordKey: Hashable {
    var mode: ScanMode
    var outletCode: String
    var scanDate: CalendarDay

    init(_ record: BackupRecord) {
        mode = record.mode
        outletCode = record.outletCode
        scanDate = record.scanDate
    }
}

/// `INSERT … VALUES (…), (…) ON CONFLICT (mode, outlet_code, scan_date) DO UPDATE SET col =
/// EXCLUDED.col, …` for up to `rowsPerStatement` records, written straight into the serializer. Building it from SQLKit's expression tree (an
/// existential per value, per identifier and per assignment) cost more than the insert itself.
struct RecordUpsert: SQLExpression {
    let rows: ArraySlice<BackupRecord>
    /// An import (SPEC §13): an existing record replaced only if it was imported too, never a
    /// scan of ours; `RETURNING 1` counts the rows written.
    var onlyOverImported = false

    private static let head =
        "INSERT INTO \"backup_records\" (" + RecordColumns.names.map { "\"\($0)\"" }.joined(separator: ", ")
        + ") VALUES "
    private static let tail =
        " ON CONFLICT (\"mode\", \"outlet_code\", \"scan_date\") DO UPDATE SET "
        + RecordColumns.names.dropFirst(RecordColumns.keyCount).map { "\"\($0)\" = EXCLUDED.\"\($0)\"" }.joined(
            separator: ", ")

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(Self.head)
        for (index, record) in rows.enumerated() {
            serializer.write(index == 0 ? "(" : ", (")
            let values = RecordColumns.values(of: record)
            for (position, value) in values.enumerated() {
                if position > 0 { serializer.write(", ") }
                serializer.write(bind: value)
            }
            serializer.write(")")
        }
        serializer.write(Self.tail)
        if onlyOverImported { serializer.write(" WHERE \"backup_records\".\"imported\" RETURNING 1") }
    }
}
