import BackupMonitor
import Foundation
import SQLKit

/// Reads one sorted page of records. `RecordRepository` orders by day and outlet only; the
/// table sorts by any column, so this query adds ORDER BY on the column chosen (always with
/// the record key after it, so pages never overlap), with the same filter semantics.
struct BackupsQuery: Sendable {
    let dependencies: AppDependencies

    static let pageSize = 50

    func model(filter: RecordFilter, sort: RecordSort, page: Int, notice: String?) async throws -> BackupsModel {
        let total = try await dependencies.records.count(matching: filter)
        let pageCount = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(1, page), pageCount)
        let records = try await Self.records(
            dependencies.database, filter: filter, sort: sort, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
        return BackupsModel(
            filter: filter, sort: sort, page: page, pageSize: Self.pageSize, total: total, records: records,
            notice: notice)
    }

    private static let columns = [
        "mode", "outlet_code", "scan_date", "status", "last_backup_at", "file_name", "file_size", "duration_ms",
        "error_kind", "error_details", "drive_letter", "advanced", "scan_id", "scanned_at",
    ]

    /// Records matching `filter` in `sort` order; the CSV export pages through it too.
    static func records(
        _ database: MonitorDatabase, filter: RecordFilter, sort: RecordSort, limit: Int, offset: Int
    ) async throws -> [BackupRecord] {
        try await database.withSQL { sql in
            let query = sql.select().columns(columns.map { SQLColumn($0) }).from("backup_records")
            query.where("mode", .equal, SQLBind(filter.mode.rawValue))
            if let code = filter.outletCode { query.where("outlet_code", .equal, SQLBind(code)) }
            if let from = filter.from { query.where("scan_date", .greaterThanOrEqual, SQLBind(from.description)) }
            if let to = filter.to { query.where("scan_date", .lessThanOrEqual, SQLBind(to.description)) }
            if let status = filter.status { query.where("status", .equal, SQLBind(status.rawValue)) }
            if let kind = filter.failureKind { query.where("error_kind", .equal, SQLBind(kind.rawValue)) }
            let direction: SQLDirection = sort.descending ? .descending : .ascending
            // NULLs (no file, no reason) sort last either way, as people expect in a table.
            query.orderBy(
                SQLOrderBy(
                    expression: SQLRaw("CASE WHEN \(sort.column.sqlColumn) IS NULL THEN 1 ELSE 0 END"),
                    direction: SQLDirection.ascending))
            query.orderBy(sort.column.sqlColumn, direction)
            if sort.column != .date { query.orderBy("scan_date", .descending) }
            if sort.column != .outlet { query.orderBy("outlet_code", .ascending) }
            return try await query.limit(limit).offset(offset).all().map(record(from:))
        }
    }

    private static func record(from row: any SQLRow) throws -> BackupRecord {
        let modeText = try row.decode(column: "mode", as: String.self)
        let statusText = try row.decode(column: "status", as: String.self)
        let dayText = try row.decode(column: "scan_date", as: String.self)
        guard let mode = ScanMode(rawValue: modeText), let status = BackupStatus(rawValue: statusText),
            let day = CalendarDay(dayText)
        else {
            throw UnreadableRecordError(description: "backup_records row with \(modeText) \(statusText) \(dayText)")
        }
        return BackupRecord(
            mode: mode, outletCode: try row.decode(column: "outlet_code", as: String.self), scanDate: day,
            status: status,
            lastBackupAt: try row.decode(column: "last_backup_at", as: Int64?.self).map {
                Date(timeIntervalSince1970: Double($0) / 1000)
            },
            fileName: try row.decode(column: "file_name", as: String?.self),
            fileSize: try row.decode(column: "file_size", as: Int64?.self).map { UInt64(max(0, $0)) },
            duration: .milliseconds(try row.decode(column: "duration_ms", as: Int64.self)),
            failureKind: try row.decode(column: "error_kind", as: String?.self).flatMap(FailureKind.init(rawValue:)),
            errorDetails: try row.decode(column: "error_details", as: String?.self),
            driveLetter: try row.decode(column: "drive_letter", as: String?.self),
            isAdvanced: try row.decode(column: "advanced", as: Bool.self),
            scanID: try row.decode(column: "scan_id", as: String?.self),
            scannedAt: Date(timeIntervalSince1970: Double(try row.decode(column: "scanned_at", as: Int64.self)) / 1000))
    }
}

/// A stored record this query cannot read back (a hand-edited database).
struct UnreadableRecordError: Error, CustomStringConvertible {
    var description: String
}
