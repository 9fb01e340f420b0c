import Foundation
import PostgresKit
import SQLKit
import SQLiteKit

extension RecordRepository {
    /// Runs `query` (selecting `columns` in their order, binding text or booleans) and builds the
    /// records from each driver's own rows by position: SQLite's values and PostgreSQL's typed
    /// row decoding. SQLKit's `decode(column:as:)` looks each column up by name and decodes it
    /// through `Decodable`; for 14 columns that was most of the CSV export's and the servers
    /// page's time (profiled at two years of history).
    static func fetchRecords(_ driver: MonitorDatabase.Driver, _ sql: any SQLDatabase, _ query: SQLSelectBuilder)
        async throws -> [BackupRecord]
    {
        let (text, binds) = try MonitorDatabase.Driver.serialize(sql, query)
        var days = DayParser()
        var records: [BackupRecord] = []
        switch driver {
        case .sqlite(let connection):
            let rows = try await connection.query(text, binds.map(\.sqlite))
            records.reserveCapacity(rows.count)
            for row in rows {
                records.append(try record(sqlite: row.columns.map(\.data), days: &days))
            }
        case .postgres(let connection, let logger):
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: text, binds: MonitorDatabase.Driver.postgresBindings(binds)), logger: logger)
            for try await row in rows {
                var cells = PostgresCells(row)
                records.append(
                    try record(
                        mode: cells.next(String.self), code: cells.next(String.self),
                        day: days.day(cells.next(String.self)), status: cells.next(String.self),
                        lastBackup: cells.nextOptional(Int64.self), file: cells.nextOptional(String.self),
                        size: cells.nextOptional(Int64.self), duration: cells.next(Int64.self),
                        kind: cells.nextOptional(String.self), details: cells.nextOptional(String.self),
                        drive: cells.nextOptional(String.self), advanced: cells.next(Bool.self),
                        scan: cells.nextOptional(String.self), at: cells.next(Int64.self)))
            }
        }
        return records
    }

    private static func record(sqlite values: [SQLiteData], days: inout DayParser) throws -> BackupRecord {
        guard values.count == columns.count else {
            throw StorageCorruptionError(description: "a record row with \(values.count) columns")
        }
        func text(_ index: Int) throws -> String {
            guard case .text(let value) = values[index] else { throw unreadable(index, values[index]) }
            return value
        }
        func optionalText(_ index: Int) throws -> String? {
            if case .null = values[index] { return nil }
            return try text(index)
        }
        func integer(_ index: Int) throws -> Int64 {
            guard case .integer(let value) = values[index] else { throw unreadable(index, values[index]) }
            return Int64(value)
        }
        func optionalInteger(_ index: Int) throws -> Int64? {
            if case .null = values[index] { return nil }
            return try integer(index)
        }
        return try record(
            mode: text(0), code: text(1), day: days.day(text(2)), status: text(3), lastBackup: optionalInteger(4),
            file: optionalText(5), size: optionalInteger(6), duration: integer(7), kind: optionalText(8),
            details: optionalText(9), drive: optionalText(10), advanced: integer(11) != 0, scan: optionalText(12),
            at: integer(13))
    }

    private static func unreadable(_ index: Int, _ value: SQLiteData) -> StorageCorruptionError {
        StorageCorruptionError(description: "backup_records.\(columns[index]) holds \(value)")
    }

    private static func record(
        mode: String, code: String, day: CalendarDay, status: String, lastBackup: Int64?, file: String?, size: Int64?,
        duration: Int64, kind: String?, details: String?, drive: String?, advanced: Bool, scan: String?, at: Int64
    ) throws -> BackupRecord {
        guard let mode = ScanMode(rawValue: mode), let status = BackupStatus(rawValue: status) else {
            throw StorageCorruptionError(description: "backup_records row with mode \(mode), status \(status)")
        }
        return BackupRecord(
            mode: mode, outletCode: code, scanDate: day, status: status,
            lastBackupAt: lastBackup.map(Date.init(unixMilliseconds:)), fileName: file,
            fileSize: size.map { UInt64(max(0, $0)) }, duration: .milliseconds(duration),
            failureKind: kind.flatMap(FailureKind.init(rawValue:)), errorDetails: details, driveLetter: drive,
            isAdvanced: advanced, scanID: scan, scannedAt: Date(unixMilliseconds: at))
    }
}
