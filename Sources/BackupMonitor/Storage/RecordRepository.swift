import Foundation
import SQLKit

/// Backup records (SPEC §5): one per (mode, outlet, scan date), replaced on re-scan.
public struct RecordRepository: Sendable {
    public let database: MonitorDatabase

    public init(database: MonitorDatabase) {
        self.database = database
    }

    static let columns = [
        "mode", "outlet_code", "scan_date", "status", "last_backup_at", "file_name", "file_size", "duration_ms",
        "error_kind", "error_details", "drive_letter", "advanced", "scan_id", "scanned_at",
    ]

    /// Stores a result the moment it is known, replacing any earlier one for the same key.
    public func save(_ record: BackupRecord) async throws {
        try await database.withSQL { sql in
            try await sql.insert(into: "backup_records").columns(Self.columns).values(Self.values(of: record))
                .onConflict(with: ["mode", "outlet_code", "scan_date"]) { update in
                    Self.columns.dropFirst(3).reduce(update) { $0.set(excludedValueOf: $1) }
                }
                .run()
        }
    }

    /// Records matching `filter`, newest day first, then by outlet code.
    public func records(matching filter: RecordFilter, limit: Int, offset: Int = 0) async throws -> [BackupRecord] {
        try await database.withSQL { sql in
            let query = sql.select().columns(Self.columns.map { SQLColumn($0) }).from("backup_records")
            Self.apply(filter, to: query)
            return try await query.orderBy("scan_date", .descending).orderBy("outlet_code")
                .limit(limit).offset(offset).all().map(Self.record(from:))
        }
    }

    public func count(matching filter: RecordFilter) async throws -> Int {
        try await database.withSQL { sql in
            let query = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("backup_records")
            Self.apply(filter, to: query)
            return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Success and failure counts per day in `filter`'s range, oldest day first.
    public func dailyCounts(matching filter: RecordFilter) async throws -> [DailyCount] {
        try await database.withSQL { sql in
            let query = sql.select().column("scan_date").column("status")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("backup_records")
            Self.apply(filter, to: query)
            let rows = try await query.groupBy("scan_date").groupBy("status").orderBy("scan_date").all()
            var byDay: [CalendarDay: DailyCount] = [:]
            for row in rows {
                let day = try Self.day(row, "scan_date")
                let count = try row.decode(column: "n", as: Int.self)
                var entry = byDay[day] ?? DailyCount(day: day, successful: 0, failed: 0)
                if try row.decode(column: "status", as: String.self) == BackupStatus.success.rawValue {
                    entry.successful += count
                } else {
                    entry.failed += count
                }
                byDay[day] = entry
            }
            return byDay.values.sorted { $0.day < $1.day }
        }
    }

    private static func apply(_ filter: RecordFilter, to query: SQLSelectBuilder) {
        query.where("mode", .equal, SQLBind(filter.mode.rawValue))
        if let code = filter.outletCode { query.where("outlet_code", .equal, SQLBind(code)) }
        if let from = filter.from { query.where("scan_date", .greaterThanOrEqual, SQLBind(from.description)) }
        if let to = filter.to { query.where("scan_date", .lessThanOrEqual, SQLBind(to.description)) }
        if let status = filter.status { query.where("status", .equal, SQLBind(status.rawValue)) }
        if let kind = filter.failureKind { query.where("error_kind", .equal, SQLBind(kind.rawValue)) }
    }

    private static func values(of record: BackupRecord) -> [any SQLExpression] {
        [
            SQLBind(record.mode.rawValue), SQLBind(record.outletCode), SQLBind(record.scanDate.description),
            SQLBind(record.status.rawValue), SQLBind(record.lastBackupAt?.unixMilliseconds), SQLBind(record.fileName),
            SQLBind(record.fileSize.map { Int64(clamping: $0) }), SQLBind(record.duration.milliseconds),
            SQLBind(record.failureKind?.rawValue), SQLBind(record.errorDetails), SQLBind(record.driveLetter),
            SQLBind(record.isAdvanced), SQLBind(record.scanID), SQLBind(record.scannedAt.unixMilliseconds),
        ]
    }

    static func record(from row: any SQLRow) throws -> BackupRecord {
        let modeText = try row.decode(column: "mode", as: String.self)
        let statusText = try row.decode(column: "status", as: String.self)
        guard let mode = ScanMode(rawValue: modeText), let status = BackupStatus(rawValue: statusText) else {
            throw StorageCorruptionError(description: "backup_records row with mode \(modeText), status \(statusText)")
        }
        return BackupRecord(
            mode: mode,
            outletCode: try row.decode(column: "outlet_code", as: String.self),
            scanDate: try day(row, "scan_date"),
            status: status,
            lastBackupAt: try row.decode(column: "last_backup_at", as: Int64?.self).map(Date.init(unixMilliseconds:)),
            fileName: try row.decode(column: "file_name", as: String?.self),
            fileSize: try row.decode(column: "file_size", as: Int64?.self).map { UInt64(max(0, $0)) },
            duration: .milliseconds(try row.decode(column: "duration_ms", as: Int64.self)),
            failureKind: try row.decode(column: "error_kind", as: String?.self).flatMap(FailureKind.init(rawValue:)),
            errorDetails: try row.decode(column: "error_details", as: String?.self),
            driveLetter: try row.decode(column: "drive_letter", as: String?.self),
            isAdvanced: try row.decode(column: "advanced", as: Bool.self),
            scanID: try row.decode(column: "scan_id", as: String?.self),
            scannedAt: Date(unixMilliseconds: try row.decode(column: "scanned_at", as: Int64.self))
        )
    }

    private static func day(_ row: any SQLRow, _ column: String) throws -> CalendarDay {
        let text = try row.decode(column: column, as: String.self)
        guard let day = CalendarDay(text) else {
            throw StorageCorruptionError(description: "\(column) holds \(text), not YYYY-MM-DD")
        }
        return day
    }
}

/// A stored value the code cannot read back: a bug or a hand-edited database.
public struct StorageCorruptionError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

extension Duration {
    /// Whole milliseconds, the storage unit of durations.
    public var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
