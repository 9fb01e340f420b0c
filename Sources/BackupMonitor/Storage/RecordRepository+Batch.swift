import SQLKit

extension RecordRepository {
    /// Rows per INSERT statement: 14 binds a row stays far below SQLite's 32 766 and
    /// PostgreSQL's 65 535 parameters per statement.
    static let rowsPerStatement = 256

    /// Stores several results in one transaction (one commit, so one WAL sync instead of one
    /// per record), replacing earlier records with the same key, and remembers each outlet's
    /// IBSTORAGE drive where `drives` names one (`Outlet.lastIBStorageDrive`, tried first next
    /// time). Either everything is stored or, when it throws, nothing.
    ///
    /// A key given twice keeps the later record (PostgreSQL refuses a statement that updates a
    /// row twice).
    public func save(_ records: [BackupRecord], drives: [String: String] = [:]) async throws {
        guard !records.isEmpty || !drives.isEmpty else { return }
        let rows = Self.lastPerKey(records)
        try await database.transaction { sql in
            var start = rows.startIndex
            while start < rows.endIndex {
                let end = min(start + Self.rowsPerStatement, rows.endIndex)
                try await sql.execute(sql: RecordUpsert(rows: rows[start..<end])) { _ in }
                start = end
            }
            for (code, drive) in drives.sorted(by: { $0.key < $1.key }) {
                try await sql.update("outlets").set("last_ib_drive", to: SQLBind(drive))
                    .where("code", .equal, SQLBind(code)).run()
            }
        }
    }

    /// `records` without earlier duplicates of a (mode, outlet, day) key, in their first order.
    static func lastPerKey(_ records: [BackupRecord]) -> [BackupRecord] {
        struct Key: Hashable {
            var mode: ScanMode
            var outletCode: String
            var scanDate: CalendarDay
        }
        var index: [Key: Int] = [:]
        var rows: [BackupRecord] = []
        rows.reserveCapacity(records.count)
        for record in records {
            let key = Key(mode: record.mode, outletCode: record.outletCode, scanDate: record.scanDate)
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

/// `INSERT … VALUES (…), (…) ON CONFLICT (mode, outlet_code, scan_date) DO UPDATE SET col =
/// EXCLUDED.col, …` for up to `rowsPerStatement` records, written straight into the serializer. Building it from SQLKit's expression tree (an
/// existential per value, per identifier and per assignment) cost more than the insert itself.
private struct RecordUpsert: SQLExpression {
    let rows: ArraySlice<BackupRecord>

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
    }
}
