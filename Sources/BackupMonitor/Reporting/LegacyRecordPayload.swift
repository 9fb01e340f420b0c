import Foundation

/// A record with the original system's field names (SPEC §7), so its clients keep working.
/// `errorKind` and `advancedDate` are additions the original did not have.
public struct LegacyRecordPayload: Encodable, Sendable {
    public var outletServer: String
    public var scanDate: String
    public var status: String
    public var lastBackupTaken: String?
    public var backupFile: String?
    public var backupFileSize: String?
    public var backupFileBytes: UInt64?
    public var duration: Double
    public var errorDetails: String?
    public var driveLetter: String?
    public var errorKind: String?
    public var advancedDate: Bool

    enum CodingKeys: String, CodingKey {
        case outletServer = "OutletServer"
        case scanDate = "ScanDate"
        case status = "Status"
        case lastBackupTaken = "LastBackupTaken"
        case backupFile = "BackupFile"
        case backupFileSize = "BackupFileSize"
        case backupFileBytes = "BackupFileBytes"
        case duration = "Duration"
        case errorDetails = "ErrorDetails"
        case driveLetter = "DriveLetter"
        case errorKind
        case advancedDate
    }

    public init(_ record: BackupRecord, timeZone: TimeZone) {
        outletServer = record.outletCode
        scanDate = record.scanDate.description
        status = record.status == .success ? "Success" : "Failed"
        lastBackupTaken = record.lastBackupAt.map { ISO8601Text.format($0, timeZone: timeZone) }
        backupFile = record.fileName
        backupFileSize = record.fileSizeText
        backupFileBytes = record.fileSize
        duration = Double(record.duration.milliseconds) / 1000
        errorDetails = record.errorDetails
        driveLetter = record.driveLetter
        errorKind = record.failureKind?.rawValue
        advancedDate = record.isAdvanced
    }

    /// Keeps `null` for absent values, as the original API did, instead of dropping the key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outletServer, forKey: .outletServer)
        try container.encode(scanDate, forKey: .scanDate)
        try container.encode(status, forKey: .status)
        try container.encode(lastBackupTaken, forKey: .lastBackupTaken)
        try container.encode(backupFile, forKey: .backupFile)
        try container.encode(backupFileSize, forKey: .backupFileSize)
        try container.encode(backupFileBytes, forKey: .backupFileBytes)
        try container.encode(duration, forKey: .duration)
        try container.encode(errorDetails, forKey: .errorDetails)
        try container.encode(driveLetter, forKey: .driveLetter)
        try container.encode(errorKind, forKey: .errorKind)
        try container.encode(advancedDate, forKey: .advancedDate)
    }
}

/// The scan response of the original API (SPEC §7):
/// `{"status":"success","data":[…],"advancedDate":[…],"count":…,"advancedDateCount":…,"processingTime":…,"timestamp":…}`.
public struct LegacyScanResponse: Encodable, Sendable {
    public var status = "success"
    public var scanId: String
    public var mode: String
    public var scanDate: String
    public var data: [LegacyRecordPayload]
    public var advancedDate: [LegacyRecordPayload]
    public var count: Int
    public var advancedDateCount: Int
    public var successCount: Int
    public var failedCount: Int
    public var processingTime: Double
    public var timestamp: String

    public init(_ summary: ScanSummary, timeZone: TimeZone) {
        scanId = summary.scanID
        mode = summary.mode.rawValue
        scanDate = summary.day.description
        data = summary.records.map { LegacyRecordPayload($0, timeZone: timeZone) }
        advancedDate = summary.advanced.map { LegacyRecordPayload($0, timeZone: timeZone) }
        count = data.count
        advancedDateCount = advancedDate.count
        successCount = summary.succeeded
        failedCount = summary.failed
        processingTime = (Double(summary.processingTime.milliseconds) / 10).rounded() / 100
        timestamp = ISO8601Text.format(summary.finishedAt, timeZone: timeZone)
    }
}

/// ISO 8601 with the zone's offset (`2026-02-21T10:30:00+00:00`), as the original API wrote times.
public enum ISO8601Text {
    public static func format(_ date: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxxxx"
        return formatter.string(from: date)
    }
}
