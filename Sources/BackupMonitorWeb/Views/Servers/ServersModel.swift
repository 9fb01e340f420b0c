import BackupMonitor

/// Every outlet as a card with its day's status in both modes (SPEC §8).
struct ServersModel: Sendable {
    struct Card: Sendable {
        var outlet: Outlet
        var records: [ScanMode: BackupRecord]
    }

    enum StatusFilter: String, Sendable, CaseIterable {
        case success
        case failed
        case unscanned

        var label: String {
            switch self {
            case .success: "Successful"
            case .failed: "Failed"
            case .unscanned: "Not scanned"
            }
        }
    }

    var search: String?
    var status: StatusFilter?
    var region: String?
    var regions: [String]
    var outletCount: Int
    var cards: [Card]
}
