import Foundation

/// What one outlet's check will do: a pure product of the outlet, the mode and the settings.
public struct OutletScanPlan: Sendable, Hashable {
    public var outlet: Outlet
    public var mode: ScanMode
    public var account: SMBAccount
    /// Shares to try in order; the first that has `folder` is used. One share for D-Drive.
    public var shares: [String]
    public var folder: String
}

/// Turns outlets into per-outlet plans (DESIGN: a pure planner before the task group).
public struct ScanPlanner: Sendable {
    public var configuration: MonitorConfiguration

    public init(configuration: MonitorConfiguration) {
        self.configuration = configuration
    }

    /// Throws naming the variable when the mode's credentials are not configured and an outlet
    /// has no override of its own (`overrides`, by outlet code: SPEC §2).
    public func plans(for outlets: [Outlet], mode: ScanMode, overrides: [String: SMBAccount] = [:]) throws
        -> [OutletScanPlan]
    {
        let configured = mode == .ddrive ? configuration.ddriveAccount : configuration.ibStorageAccount
        if configured == nil, outlets.contains(where: { overrides[$0.code] == nil }) {
            throw mode == .ddrive
                ? ConfigurationError(variable: "USER", problem: "is not set, so the D-Drive check cannot log on")
                : ConfigurationError(variable: "SMB_USER", problem: "is not set, so the IBSTORAGE check cannot log on")
        }
        func account(_ outlet: Outlet) -> SMBAccount {
            // Checked above: an outlet without an override has the configured account.
            overrides[outlet.code] ?? configured!
        }
        switch mode {
        case .ddrive:
            return outlets.map { outlet in
                OutletScanPlan(
                    outlet: outlet, mode: mode, account: account(outlet),
                    shares: [outlet.shareOverride ?? configuration.share],
                    folder: outlet.folderOverride ?? configuration.folder)
            }
        case .ibstorage:
            return outlets.map { outlet in
                OutletScanPlan(
                    outlet: outlet, mode: mode, account: account(outlet),
                    shares: Self.driveOrder(configuration.ibStorageDrives, lastKnown: outlet.lastIBStorageDrive),
                    folder: outlet.folderOverride ?? configuration.ibStorageFolder)
            }
        }
    }

    /// The drive where the folder was found last time first, then the others in order (SPEC §3).
    static func driveOrder(_ drives: [String], lastKnown: String?) -> [String] {
        guard let lastKnown, let match = drives.first(where: { $0.caseInsensitiveCompare(lastKnown) == .orderedSame })
        else { return drives }
        return [match] + drives.filter { $0 != match }
    }

    /// `f$` → `F`: the letter a person knows the drive by.
    public static func driveLetter(ofShare share: String) -> String {
        String(share.prefix { $0 != "$" && $0 != ":" }).uppercased()
    }
}
