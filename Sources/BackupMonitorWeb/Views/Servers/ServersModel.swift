import BackupMonitor

/// Every outlet as a card with its day's status in both modes (SPEC §8).
struct ServersModel: Sendable {
    struct Card: Sendable {
        var outlet: Outlet
        var verdicts: ModeVerdicts
    }

    /// The day's verdict of each mode: two optionals, not a dictionary per card (1000 cards).
    struct ModeVerdicts: Sendable {
        var ddrive: RecordVerdict?
        var ibstorage: RecordVerdict?

        subscript(mode: ScanMode) -> RecordVerdict? {
            get {
                switch mode {
                case .ddrive: ddrive
                case .ibstorage: ibstorage
                }
            }
            set {
                switch mode {
                case .ddrive: ddrive = newValue
                case .ibstorage: ibstorage = newValue
                }
            }
        }
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
