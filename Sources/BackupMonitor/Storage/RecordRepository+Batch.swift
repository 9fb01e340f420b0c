import SQLKit

extension RecordRepository {
    /// Rows per INSERT statement: 14 binds a row stays far below SQLite's 32 766 and
    /// PostgreSQL's 65 535 parameters per statement.
    static let rowsPerStatement = 256

    /// Stores several results in one transaction (one commit, so one WAL sync instead of one
    /// per record), replacing earlier records with the same key, and remembers each outlet's
    /// IBSTORAGE drive where `drives` names one (what `OutletRepository.rememberIBStorageDrive`
    /// stores). Either everything is stored or, when it throws, nothing.
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
                let insert = sql.insert(into: "backup_records").columns(Self.columns)
                for record in rows[start..<end] {
                    insert.values(Self.batchValues(of: record))
                }
                try await insert.onConflict(with: ["mode", "outlet_code", "scan_date"]) { update in
                    Self.columns.dropFirst(3).reduce(update) { $0.set(excludedValueOf: $1) }
                }
                .run()
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
        var index: [String: Int] = [:]
        var rows: [BackupRecord] = []
        rows.reserveCapacity(records.count)
        for record in records {
            let key = "\(record.mode.rawValue)\u{0}\(record.outletCode)\u{0}\(record.scanDate)"
            if let at = index[key] {
                rows[at] = record
            } else {
                index[key] = rows.count
                rows.append(record)
            }
        }
        return rows
    }

    /// The bound values of one row, in `columns` order (as `save(_:)` of one record binds them).
    private static func batchValues(of record: BackupRecord) -> [any SQLExpression] {
        [
            SQLBind(record.mode.rawValue), SQLBind(record.outletCode), SQLBind(record.scanDate.description),
            SQLBind(record.status.rawValue), SQLBind(record.lastBackupAt?.unixMilliseconds), SQLBind(record.fileName),
            SQLBind(record.fileSize.map { Int64(clamping: $0) }), SQLBind(record.duration.milliseconds),
            SQLBind(record.failureKind?.rawValue), SQLBind(record.errorDetails), SQLBind(record.driveLetter),
            SQLBind(record.isAdvanced), SQLBind(record.scanID), SQLBind(record.scannedAt.unixMilliseconds),
        ]
    }
}
