import BackupMonitor

/// The records table (SPEC §8): one page of records, the filter and sort that chose them.
struct BackupsModel: Sendable {
    var filter: RecordFilter
    var sort: RecordSort
    var page: Int
    var pageSize: Int
    var total: Int
    var records: [BackupRecord]
    /// What the last re-sync did, shown above the table.
    var notice: String?

    var pageCount: Int { max(1, (total + pageSize - 1) / pageSize) }
}
