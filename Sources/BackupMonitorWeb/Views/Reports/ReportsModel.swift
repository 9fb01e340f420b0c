import BackupMonitor

/// The reports page (SPEC §8): a filter over any range, its summary, and a preview of the
/// rows the CSV export will hold.
struct ReportsModel: Sendable {
    var filter: RecordFilter
    var total: Int
    var successful: Int
    var outlets: Int
    var failuresByReason: [(kind: FailureKind?, count: Int)]
    var days: [DailyCount]
    var preview: [BackupRecord]

    var failed: Int { total - successful }
}
