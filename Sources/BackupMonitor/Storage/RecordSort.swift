/// The order of a page of records: a column and a direction, then the record key so that pages
/// never overlap (the records table on the Backups page sorts by any column, SPEC §8).
public struct RecordSort: Sendable, Hashable {
    public enum Column: String, Sendable, CaseIterable {
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

        /// Columns that may hold NULL (no file seen, no reason): those sort last either way.
        var isNullable: Bool {
            switch self {
            case .reason, .lastBackup, .size: true
            case .outlet, .date, .status, .duration: false
            }
        }
    }

    public var column: Column
    public var descending: Bool

    /// Newest day first, then by outlet code: the API's and the Backups page's default.
    public static let standard = RecordSort(column: .date, descending: true)

    public init(column: Column, descending: Bool) {
        self.column = column
        self.descending = descending
    }

    /// `date`, `-date` (descending) and so on, as the `sort` query parameter writes it.
    public init?(_ text: String) {
        let descending = text.hasPrefix("-")
        guard let column = Column(rawValue: descending ? String(text.dropFirst()) : text) else { return nil }
        self.column = column
        self.descending = descending
    }

    public var parameter: String { (descending ? "-" : "") + column.rawValue }
}
