import Foundation

/// One outlet's verdict for one mode and scan date (SPEC §5), replaced on re-scan.
public struct BackupRecord: Sendable, Hashable {
    public var mode: ScanMode
    public var outletCode: String
    public var scanDate: CalendarDay
    public var status: BackupStatus
    /// LastWriteTime of `fileName`.
    public var lastBackupAt: Date?
    public var fileName: String?
    public var fileSize: UInt64?
    /// How long this outlet took to check.
    public var duration: Duration
    public var failureKind: FailureKind?
    public var errorDetails: String?
    /// IBSTORAGE: the letter of the USB drive (`F`).
    public var driveLetter: String?
    /// The newest backup is later than the end of the scan date (SPEC §4 advancedDate).
    public var isAdvanced: Bool
    public var scanID: String?
    public var scannedAt: Date
    /// A good record kept against a later check that failed at connection level (SPEC §5).
    public var failedRecheck: FailedRecheck?
    /// Imported from the original system's tables (`import-legacy`): its size is the original
    /// text (`importedSizeText`) and `fileSize` only approximates it.
    public var isImported = false
    public var importedSizeText: String?

    public init(
        mode: ScanMode, outletCode: String, scanDate: CalendarDay, status: BackupStatus, lastBackupAt: Date? = nil,
        fileName: String? = nil, fileSize: UInt64? = nil, duration: Duration, failureKind: FailureKind? = nil,
        errorDetails: String? = nil, driveLetter: String? = nil, isAdvanced: Bool = false, scanID: String? = nil,
        scannedAt: Date
    ) {
        self.mode = mode
        self.outletCode = outletCode
        self.scanDate = scanDate
        self.status = status
        self.lastBackupAt = lastBackupAt
        self.fileName = fileName
        self.fileSize = fileSize
        self.duration = duration
        self.failureKind = failureKind
        self.errorDetails = errorDetails
        self.driveLetter = driveLetter
        self.isAdvanced = isAdvanced
        self.scanID = scanID
        self.scannedAt = scannedAt
    }

    /// `2.45 GB`, as the original system showed sizes.
    public var fileSizeText: String? { importedSizeText ?? fileSize.map(ByteCountText.format) }

    /// "last checked 06:12: unreachable (…)" for a good record kept against a failed check.
    public func lastCheckText(timeZone: TimeZone) -> String? {
        failedRecheck?.sentence(day: scanDate, timeZone: timeZone)
    }
}
