import Foundation

/// The columns of `backup_records`, declared once (SPEC §5): their names in table order, a
/// record's values in that order (the upsert and the history generator write them), and the
/// record read back from cells in that order (both drivers' positional decoders). A column is
/// added here, in these three adjacent places, and in a migration; `RecordColumnsTests` fails
/// when the table, the names and the values disagree.
enum RecordColumns {
    static let names = [
        "mode", "outlet_code", "scan_date", "status", "last_backup_at", "file_name", "file_size", "duration_ms",
        "error_kind", "error_details", "drive_letter", "advanced", "scan_id", "scanned_at",
        "imported", "file_size_text", "last_check_at", "last_check_kind", "last_check_details",
    ]
    /// The record key: the first three columns, which an upsert never changes.
    static let keyCount = 3

    /// `record`'s values in `names` order, as bound into an INSERT.
    static func values(of record: BackupRecord) -> [any Encodable & Sendable] {
        [
            record.mode.rawValue, record.outletCode, record.scanDate.description, record.status.rawValue,
            record.lastBackupAt?.unixMilliseconds, record.fileName, record.fileSize.map { Int64(clamping: $0) },
            record.duration.milliseconds, record.failureKind?.rawValue, record.errorDetails, record.driveLetter,
            record.isAdvanced, record.scanID, record.scannedAt.unixMilliseconds, record.isImported,
            record.importedSizeText, record.failedRecheck?.at.unixMilliseconds, record.failedRecheck?.kind.rawValue,
            record.failedRecheck?.details,
        ]
    }

    /// The record whose cells come next, read in `names` order. Generic over the driver, so
    /// each driver gets its own specialised copy (no per-cell dynamic dispatch).
    static func record<Cells: RowCells>(from cells: inout Cells, days: inout DayParser) throws -> BackupRecord {
        let modeText = try cells.text()
        let code = try cells.text()
        let day = try days.day(cells.text())
        let statusText = try cells.text()
        guard let mode = ScanMode(rawValue: modeText), let status = BackupStatus(rawValue: statusText) else {
            throw StorageCorruptionError(description: "backup_records row with mode \(modeText), status \(statusText)")
        }
        var record = BackupRecord(
            mode: mode, outletCode: code, scanDate: day, status: status,
            lastBackupAt: try cells.optionalInteger().map(Date.init(unixMilliseconds:)),
            fileName: try cells.optionalText(), fileSize: try cells.optionalInteger().map { UInt64(max(0, $0)) },
            duration: .milliseconds(try cells.integer()),
            failureKind: try cells.optionalText().flatMap(FailureKind.init(rawValue:)),
            errorDetails: try cells.optionalText(), driveLetter: try cells.optionalText(), isAdvanced: try cells.bool(),
            scanID: try cells.optionalText(), scannedAt: Date(unixMilliseconds: try cells.integer()))
        record.isImported = try cells.bool()
        record.importedSizeText = try cells.optionalText()
        let recheckAt = try cells.optionalInteger()
        let recheckKind = try cells.optionalText().flatMap(FailureKind.init(rawValue:))
        let recheckDetails = try cells.optionalText()
        if let recheckAt, let recheckKind {
            record.failedRecheck = FailedRecheck(
                at: Date(unixMilliseconds: recheckAt), kind: recheckKind, details: recheckDetails)
        }
        return record
    }
}
