/// The two checks SPEC §3 runs against every outlet.
public enum ScanMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// `D:\BackupFull` on share `SHARE` with `USER` / `PASS`.
    case ddrive
    /// The USB drive (one of `IB_STORAGE_DRIVES`) with `SMB_USER` / `SMB_PASS`.
    case ibstorage

    /// The name people read in logs and pages.
    public var displayName: String {
        switch self {
        case .ddrive: "D-Drive"
        case .ibstorage: "IBSTORAGE"
        }
    }
}
