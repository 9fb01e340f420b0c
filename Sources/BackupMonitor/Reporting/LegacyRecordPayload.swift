import Foundation

/// A record with the original system's field names (SPEC §7), so its clients keep working.
/// `errorKind`, `advancedDate` and `lastCheck` are additions the original did not have.
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
    /// A good record's note of a later check that failed at connection level (SPEC §5):
    /// "last checked 06:12: unreachable (…)", else null.
    public var lastCheck: String?

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
        case lastCheck
    }

    public init(_ record: BackupRecord, timeZone: TimeZone) {
        outletServer = record.outletCode
        scanDate = record.scanDate.description
        status = Self.statusText(record.status)
        lastBackupTaken = record.lastBackupAt.map { ISO8601Text.format($0, timeZone: timeZone) }
        backupFile = record.fileName
        backupFileSize = record.fileSizeText
        backupFileBytes = record.fileSize
        duration = Double(record.duration.milliseconds) / 1000
        errorDetails = record.errorDetails
        driveLetter = record.driveLetter
        errorKind = record.failureKind?.rawValue
        advancedDate = record.isAdvanced
        lastCheck = record.lastCheckText(timeZone: timeZone)
    }

    /// The original schema's words for a status (SPEC §4, §7): exactly `Successful` or `Failed`.
    /// The CSV export writes the same.
    public static func statusText(_ status: BackupStatus) -> String {
        status == .success ? successful : failed
    }

    public static let successful = "Successful"
    public static let failed = "Failed"

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
        try container.encode(lastCheck, forKey: .lastCheck)
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
    /// Outlets checked whose records could not be stored (SPEC §6: each result is stored the
    /// moment it is known; these were not, and say why).
    public var notStored: [NotStored]
    public var notStoredCount: Int
    /// The first pass's counts, and the outlets tried again because they timed out (SPEC §6).
    public var firstPass: FirstPass
    public var retriedCount: Int
    public var recoveredCount: Int
    /// "3 of 24 outlets that timed out answered on a second try", or null without a second pass.
    public var secondTry: String?
    /// "Scan degraded: the monitor or its network was overloaded (…)", or null.
    public var degraded: String?
    /// The adaptive session limit over the scan: `[{"at": seconds, "limit": n}]`.
    public var concurrency: [Step]
    /// The worst lag of the monitor's event loop during the scan, in seconds (null: not measured).
    public var loopLagMax: Double?

    public struct FirstPass: Encodable, Sendable {
        public var successCount: Int
        public var failedCount: Int
        public var timedOutCount: Int
    }

    public struct Step: Encodable, Sendable {
        public var at: Double
        public var limit: Int
    }

    public struct NotStored: Encodable, Sendable {
        public var outletServer: String
        public var error: String

        enum CodingKeys: String, CodingKey {
            case outletServer = "OutletServer"
            case error
        }
    }

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
        notStored = summary.notStored.sorted { $0.key < $1.key }.map {
            NotStored(outletServer: $0.key, error: $0.value)
        }
        notStoredCount = notStored.count
        firstPass = FirstPass(
            successCount: summary.firstPass.succeeded, failedCount: summary.firstPass.failed,
            timedOutCount: summary.firstPass.timedOut)
        retriedCount = summary.retried
        recoveredCount = summary.recovered
        secondTry = summary.secondTry
        degraded = summary.degradation?.sentence
        concurrency = summary.concurrency.map { Step(at: Double($0.at.milliseconds) / 1000, limit: $0.limit) }
        loopLagMax = summary.loopLagMax.map { Double($0.milliseconds) / 1000 }
    }
}

/// ISO 8601 with the zone's offset (`2026-02-21T10:30:00+00:00`), as the original API wrote times.
///
/// Computed with integer arithmetic from the zone's offset at that instant (what
/// `DateFormatter` with `yyyy-MM-dd'T'HH:mm:ssxxxxx` writes for the whole second): making a `DateFormatter` per value
/// cost about 20 µs, which capped the CSV export and the records API at a few thousand rows a second.
public enum ISO8601Text {
    public static func format(_ date: Date, timeZone: TimeZone) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        // Whole seconds, cut, never rounded up (SPEC §4): a backup at 23:59:59.9996 was taken on
        // that day, not at 00:00:00 of the next.
        let (unixSeconds, _) = floorDivision(date.unixMilliseconds, 1000)
        let (days, secondOfDay) = floorDivision(unixSeconds + Int64(offset), 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let magnitude = Int64(abs(offset))
        // Written as bytes into the string's own storage: appending a String per field was most
        // of this function's cost, and the CSV export calls it for every row.
        return String(unsafeUninitializedCapacity: 32) { bytes in
            var at = 0
            func put(_ value: Int64, width: Int) {
                var remaining = max(0, value)
                var digits = 1
                var power: Int64 = 10
                while power <= remaining {
                    digits += 1
                    power *= 10
                }
                for _ in digits..<max(width, digits) {
                    bytes[at] = UInt8(ascii: "0")
                    at += 1
                }
                var index = at + digits - 1
                repeat {
                    bytes[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                    remaining /= 10
                    index -= 1
                } while remaining > 0
                at += digits
            }
            func put(_ character: Unicode.Scalar) {
                bytes[at] = UInt8(ascii: character)
                at += 1
            }
            put(year, width: 4)
            put("-")
            put(month, width: 2)
            put("-")
            put(day, width: 2)
            put("T")
            put(secondOfDay / 3600, width: 2)
            put(":")
            put(secondOfDay / 60 % 60, width: 2)
            put(":")
            put(secondOfDay % 60, width: 2)
            put(offset < 0 ? "-" : "+")
            put(magnitude / 3600, width: 2)
            put(":")
            put(magnitude / 60 % 60, width: 2)
            if magnitude % 60 != 0 {
                put(":")
                put(magnitude % 60, width: 2)
            }
            return at
        }
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }

    /// Proleptic Gregorian year, month and day of a day count from 1970-01-01 (H. Hinnant's
    /// `civil_from_days`).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
