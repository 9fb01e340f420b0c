import Foundation

/// What kind of request started a scan (kept with the scan, shown on the dashboard).
public enum ScanKind: String, Sendable, Codable {
    case full
    case resync
    case scheduled
}

/// A request for a scan: one mode, one day, all enabled outlets or a list.
public struct ScanRequest: Sendable {
    public var mode: ScanMode
    public var day: CalendarDay
    /// nil: every enabled outlet.
    public var outletCodes: [String]?
    public var kind: ScanKind
    public var triggeredBy: String

    public init(
        mode: ScanMode, day: CalendarDay, outletCodes: [String]? = nil, kind: ScanKind = .full, triggeredBy: String
    ) {
        self.mode = mode
        self.day = day
        self.outletCodes = outletCodes
        self.kind = kind
        self.triggeredBy = triggeredBy
    }
}

/// Live progress of a scan (SPEC §6): started, one event per outlet, finished.
public enum ScanEvent: Sendable {
    case started(ScanStarted)
    case outletFinished(OutletProgress)
    case finished(ScanSummary)

    /// The scan this event belongs to.
    public var scanID: String {
        switch self {
        case .started(let started): started.scanID
        case .outletFinished(let progress): progress.scanID
        case .finished(let summary): summary.scanID
        }
    }
}

public struct ScanStarted: Sendable, Hashable {
    public var scanID: String
    public var mode: ScanMode
    public var day: CalendarDay
    public var kind: ScanKind
    public var triggeredBy: String
    public var total: Int
    public var startedAt: Date
}

public struct OutletProgress: Sendable, Hashable {
    public var scanID: String
    public var record: BackupRecord
    public var done: Int
    public var total: Int
    public var succeeded: Int
    public var failed: Int
    /// Why this outlet's record is not in the database (every attempt to store it failed); nil
    /// when it is stored. Nobody hears of a result as done unless it is stored.
    public var notStored: String? = nil
}

/// The end of a scan, in the shape of the original API's response (SPEC §7).
public struct ScanSummary: Sendable, Hashable {
    public var scanID: String
    public var mode: ScanMode
    public var day: CalendarDay
    /// Every outlet's record, ordered by outlet code.
    public var records: [BackupRecord]
    public var succeeded: Int
    public var failed: Int
    public var processingTime: Duration
    public var finishedAt: Date
    /// Outlets whose records could not be stored, by code, with the storage error; empty when
    /// every record of the scan is in the database.
    public var notStored: [String: String] = [:]

    /// Outlets whose newest backup is later than the end of the day (SPEC §4 advancedDate).
    public var advanced: [BackupRecord] { records.filter(\.isAdvanced) }

    public var failuresByKind: [FailureKind: Int] {
        records.reduce(into: [:]) { counts, record in
            if let kind = record.failureKind { counts[kind, default: 0] += 1 }
        }
    }
}
