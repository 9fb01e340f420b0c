import SQLKit
import SQLiteKit

/// What the servers grid shows of a record: its verdict and the text behind it (SPEC §8).
public struct RecordVerdict: Sendable, Hashable {
    public var outletCode: String
    public var status: BackupStatus
    public var failureKind: FailureKind?
    public var errorDetails: String?
    public var fileName: String?
}

extension RecordRepository {
    static let verdictColumns = ["outlet_code", "status", "error_kind", "error_details", "file_name"]

    /// The verdict of every outlet's record of one mode and day: five of a record's 14 columns,
    /// for the servers page, which shows 1000 outlets in both modes.
    public func verdicts(mode: ScanMode, day: CalendarDay) async throws -> [RecordVerdict] {
        try await database.withDriver { driver, sql in
            let query = sql.select().columns(Self.verdictColumns.map { SQLColumn($0) }).from("backup_records")
            Self.apply(RecordFilter(mode: mode, from: day, to: day), to: query)
            return try await driver.rows(
                sql, query,
                sqlite: { row in
                    let values = try SQLiteValues(row, table: "backup_records", columns: Self.verdictColumns)
                    return try Self.verdict(
                        code: values.text(0), status: values.text(1), kind: values.optionalText(2),
                        details: values.optionalText(3), file: values.optionalText(4))
                },
                postgres: { cells in
                    try Self.verdict(
                        code: cells.next(String.self), status: cells.next(String.self),
                        kind: cells.nextOptional(String.self), details: cells.nextOptional(String.self),
                        file: cells.nextOptional(String.self))
                })
        }
    }

    private static func verdict(code: String, status: String, kind: String?, details: String?, file: String?) throws
        -> RecordVerdict
    {
        guard let status = BackupStatus(rawValue: status) else {
            throw StorageCorruptionError(description: "backup_records row with status \(status)")
        }
        return RecordVerdict(
            outletCode: code, status: status, failureKind: kind.flatMap(FailureKind.init(rawValue:)),
            errorDetails: details, fileName: file)
    }
}
