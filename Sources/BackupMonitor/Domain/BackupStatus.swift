/// The day's verdict for one outlet and mode (SPEC §4).
public enum BackupStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case success
    case failed
}

/// Why a record failed, machine-readable (SPEC §4 `errorKind`).
public enum FailureKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Refused, timed out, no route, name not resolved.
    case unreachable
    /// Logon failure, locked, disabled or expired account.
    case auth
    case accessDenied = "access_denied"
    case shareMissing = "share_missing"
    case folderMissing = "folder_missing"
    /// No file in the folder matches the backup patterns.
    case noBackup = "no_backup"
    /// The newest backup is older than the scan date.
    case stale
    /// A backup is dated on the scan date but none reaches `MIN_BACKUP_BYTES`.
    case tooSmall = "too_small"
    /// IBSTORAGE only: no drive in `IB_STORAGE_DRIVES` has the folder.
    case driveNotFound = "drive_not_found"
    /// The server said something we could not use.
    case `protocol`
    /// A failure imported from the original system whose details name no known cause.
    case imported

    /// A short label for tables and charts.
    public var label: String {
        switch self {
        case .unreachable: "Unreachable"
        case .auth: "Authentication failed"
        case .accessDenied: "Access denied"
        case .shareMissing: "Share missing"
        case .folderMissing: "Folder missing"
        case .noBackup: "No backup file"
        case .stale: "Stale backup"
        case .tooSmall: "Backup too small"
        case .driveNotFound: "IBSTORAGE drive not found"
        case .protocol: "Protocol error"
        case .imported: "Failed (imported)"
        }
    }
}
