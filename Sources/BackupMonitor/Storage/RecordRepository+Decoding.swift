import Foundation
import PostgresKit
import SQLKit
import SQLiteKit

extension RecordRepository {
    /// Runs `query` (selecting `columns` in their order) and builds the records by position
    /// (`MonitorDatabase.Driver.rows`), parsing each distinct day's text once.
    static func fetchRecords(_ driver: MonitorDatabase.Driver, _ sql: any SQLDatabase, _ query: SQLSelectBuilder)
        async throws -> [BackupRecord]
    {
        var days = DayParser()
        return try await driver.rows(
            sql, query,
            sqlite: { row in
                let values = try SQLiteValues(row, table: "backup_records", columns: columns)
                return try record(
                    mode: values.text(0), code: values.text(1), day: days.day(values.text(2)),
                    status: values.text(3), lastBackup: values.optionalInteger(4), file: values.optionalText(5),
                    size: values.optionalInteger(6), duration: values.integer(7), kind: values.optionalText(8),
                    details: values.optionalText(9), drive: values.optionalText(10),
                    advanced: values.integer(11) != 0, scan: values.optionalText(12), at: values.integer(13))
            },
            postgres: { cells in
                try record(
                    mode: cells.next(String.self), code: cells.next(String.self),
                    day: days.day(cells.next(String.self)), status: cells.next(String.self),
                    lastBackup: cells.nextOptional(Int64.self), file: cells.nextOptional(String.self),
                    size: cells.nextOptional(Int64.self), duration: cells.next(Int64.self),
                    kind: cells.nextOptional(String.self), details: cells.nextOptional(String.self),
                    drive: cells.nextOptional(String.self), advanced: cells.next(Bool.self),
                    scan: cells.nextOptional(String.self), at: cells.next(Int64.self))
            })
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
