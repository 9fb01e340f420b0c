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

/// A sortable column and its direction; the query turns it into ORDER BY.
struct RecordSort: Sendable, Hashable {
    enum Column: String, Sendable, CaseIterable {
        case outlet
        case date
        case status
        case reason
        case lastBackup = "last_backup"
        case size
        case duration

        var sqlColumn: String {
            switch self {
            case .outlet: "outlet_code"
            case .date: "scan_date"
            case .status: "status"
            case .reason: "error_kind"
            case .lastBackup: "last_backup_at"
            case .size: "file_size"
            case .duration: "duration_ms"
            }
        }
    }

    var column: Column
    var descending: Bool

    static let standard = RecordSort(column: .date, descending: true)

    /// `date`, `-date` (descending) and so on, as the `sort` query parameter writes it.
    init?(_ text: String) {
        let descending = text.hasPrefix("-")
        guard let column = Column(rawValue: descending ? String(text.dropFirst()) : text) else { return nil }
        self.column = column
        self.descending = descending
    }

    init(column: Column, descending: Bool) {
        self.column = column
        self.descending = descending
    }

    var parameter: String { (descending ? "-" : "") + column.rawValue }
}
