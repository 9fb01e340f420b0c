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
    /// The first pass is over and the outlets that timed out are tried once more (SPEC §6).
    case retrying(ScanRetrying)
    case finished(ScanSummary)

    /// The scan this event belongs to.
    public var scanID: String {
        switch self {
        case .started(let started): started.scanID
        case .outletFinished(let progress): progress.scanID
        case .retrying(let retrying): retrying.scanID
        case .finished(let summary): summary.scanID
        }
    }
}

/// Where each event stands in its scan, for stream ids and resumption: 0 the start, n after n
/// outlets of the first pass, total + 1 the announcement of a second pass, total + 1 + k after
/// its k-th outlet, and last the end: total + 1 without a second pass (as before there was
/// one), total + 2 + retried with one.
public enum ScanSequence {
    public static func outlet(done: Int, pass: Int, total: Int) -> Int {
        pass == 1 ? done : total + 1 + done
    }

    public static func retrying(total: Int) -> Int { total + 1 }

    public static func end(total: Int, retried: Int) -> Int {
        retried > 0 ? total + 2 + retried : total + 1
    }
}

/// What the second pass achieved, in the words every front-end prints (SPEC §6).
public enum ScanSecondTry {
    /// "3 of 24 outlets that timed out answered on a second try", or nil without a second pass.
    public static func sentence(retried: Int, recovered: Int) -> String? {
        guard retried > 0 else { return nil }
        return "\(recovered) of \(retried) outlet\(retried == 1 ? "" : "s") that timed out answered on a second try"
    }
}

public struct ScanRetrying: Sendable, Hashable {
    public var scanID: String
    public var mode: ScanMode
    /// Outlets that timed out in the first pass, tried again now.
    public var count: Int
    /// Sessions at once in the second pass.
    public var concurrency: Int
    public var total: Int

    /// "Retrying 12 outlets that timed out", for streams, logs and the CLI.
    public var sentence: String {
        "Retrying \(count) outlet\(count == 1 ? "" : "s") that timed out, \(concurrency) at a time."
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
    /// 1, or 2 for an outlet tried again because it timed out; `done` then counts the second
    /// pass's outlets (the first pass's count is `total`).
    public var pass = 1
    /// Sessions allowed at once when this outlet finished (the adaptive limit).
    public var concurrency = 0
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
    /// The first pass's verdicts, before any outlet was tried again.
    public var firstPass = PassCounts()
    /// Outlets tried again because they timed out, and how many of them then succeeded.
    public var retried = 0
    public var recovered = 0
    /// The adaptive session limit over the scan (first pass), from its start.
    public var concurrency: [ConcurrencyStep] = []
    /// How far behind the monitor's own event loop fell at worst; nil when not measured.
    public var loopLagMax: Duration?
    /// Set when the scan's failures look like the monitor's or its network's overload.
    public var degradation: ScanDegradation?
    /// Outlets whose final result is a time-out (after the second pass): in a degraded scan,
    /// not evidence against the outlet.
    public var timedOutOutlets: Set<String> = []

    /// The SSE sequence number of this scan's final event.
    public var endSequence: Int { ScanSequence.end(total: records.count, retried: retried) }

    /// `ScanSecondTry.sentence`, or nil without a second pass.
    public var secondTry: String? { ScanSecondTry.sentence(retried: retried, recovered: recovered) }

    /// Outlets whose newest backup is later than the end of the day (SPEC §4 advancedDate).
    public var advanced: [BackupRecord] { records.filter(\.isAdvanced) }

    public var failuresByKind: [FailureKind: Int] {
        records.reduce(into: [:]) { counts, record in
            if let kind = record.failureKind { counts[kind, default: 0] += 1 }
        }
    }
}

public struct PassCounts: Sendable, Hashable {
    public var succeeded = 0
    public var failed = 0
    /// Of `failed`, those that timed out.
    public var timedOut = 0
}

public struct ConcurrencyStep: Sendable, Hashable {
    /// From the start of the scan.
    public var at: Duration
    public var limit: Int
}
