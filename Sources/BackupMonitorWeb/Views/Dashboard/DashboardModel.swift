import BackupMonitor

/// What the dashboard shows for one mode and day (SPEC §8).
struct DashboardModel: Sendable {
    var outletCount: Int
    var successful: Int
    var failed: Int
    /// Enabled outlets without a record for the day.
    var notScanned: [String]
    var failuresByReason: [(kind: FailureKind?, count: Int)]
    var trend: TrendChart
    var lastScan: ScanRun?
    /// The scan of this mode running now, which the page follows live.
    var runningScan: ScanStarted?

    var scanned: Int { successful + failed }
}
