import Foundation

/// The one message sent after a scheduled scan (SPEC §12: one per scan, never one per outlet).
public struct ScanNotification: Sendable, Hashable {
    public struct Failure: Sendable, Hashable {
        public var outlet: String
        public var reason: FailureKind?
        public var details: String?
    }

    /// Newly failing outlets of one reason.
    public struct ReasonGroup: Sendable, Hashable {
        public var reason: FailureKind?
        public var outlets: [Failure]
    }

    public var mode: ScanMode
    public var day: CalendarDay
    public var scanID: String
    /// `07:30` for a slot, `retry-2` for a re-scan.
    public var trigger: String
    public var isRetry: Bool
    /// Outlets the scan covered (all enabled ones, or the re-scanned ones).
    public var total: Int
    public var succeeded: Int
    public var failed: Int
    public var newlyFailing: [ReasonGroup]
    public var stillFailing: [Failure]
    public var recovered: [String]
    public var finishedAt: Date
    /// `ScanDegradation.sentence` when the scan looked overloaded (SPEC §6).
    public var degraded: String?
    /// In a degraded scan, outlets that failed only by timing out and were not failing before:
    /// the overload may be theirs or the monitor's, so they are not called newly failing.
    public var unconfirmed: [Failure] = []

    /// Compares a scan's records with what was known before it (SPEC §12).
    ///
    /// `previous` holds, per outlet, the record the scan replaced: earlier today when an earlier
    /// scan of the day exists, otherwise yesterday's. Failing now and not failing before is
    /// newly failing; failing both times is still failing; failing before and good now is a recovery.
    public init(summary: ScanSummary, trigger: String, isRetry: Bool, previous: [String: BackupRecord]) {
        mode = summary.mode
        day = summary.day
        scanID = summary.scanID
        self.trigger = trigger
        self.isRetry = isRetry
        total = summary.records.count
        succeeded = summary.succeeded
        failed = summary.failed
        finishedAt = summary.finishedAt
        degraded = summary.degradation?.sentence
        var newly: [FailureKind?: [Failure]] = [:]
        var still: [Failure] = []
        var recovered: [String] = []
        var unconfirmed: [Failure] = []
        for record in summary.records.sorted(by: { $0.outletCode < $1.outletCode }) {
            let before = previous[record.outletCode]?.status
            if record.status == .failed {
                let failure = Failure(
                    outlet: record.outletCode, reason: record.failureKind, details: record.errorDetails)
                if before == .failed {
                    still.append(failure)
                } else if degraded != nil, summary.timedOutOutlets.contains(record.outletCode) {
                    unconfirmed.append(failure)
                } else {
                    newly[record.failureKind, default: []].append(failure)
                }
            } else if before == .failed {
                recovered.append(record.outletCode)
            }
        }
        // Largest group first, so the message leads with what matters most; ties by reason name.
        newlyFailing = newly.map { ReasonGroup(reason: $0.key, outlets: $0.value) }.sorted {
            ($0.outlets.count, $1.reason?.rawValue ?? "") > ($1.outlets.count, $0.reason?.rawValue ?? "")
        }
        stillFailing = still
        self.recovered = recovered
        self.unconfirmed = unconfirmed
    }

    /// Whether the message is worth sending: a slot's scan speaks when anything fails or
    /// recovers; a re-scan only when something changed (else every retry would repeat the
    /// same list every interval until the cut-off).
    public var isWorthSending: Bool {
        if isRetry { return !recovered.isEmpty || !newlyFailing.isEmpty }
        return failed > 0 || !recovered.isEmpty || degraded != nil
    }

    public var newlyFailingCount: Int { newlyFailing.reduce(0) { $0 + $1.outlets.count } }

    /// One line for chat previews and logs.
    public var headline: String {
        let what = isRetry ? "re-scan (\(trigger))" : "scheduled scan (\(trigger))"
        var parts = ["\(mode.displayName) \(what) for \(day): \(succeeded)/\(total) successful, \(failed) failed"]
        if newlyFailingCount > 0 { parts.append("\(newlyFailingCount) newly failing") }
        if !stillFailing.isEmpty { parts.append("\(stillFailing.count) still failing") }
        if !recovered.isEmpty { parts.append("\(recovered.count) recovered") }
        if !unconfirmed.isEmpty { parts.append("\(unconfirmed.count) timed out (not confirmed)") }
        let line = parts.joined(separator: ", ")
        return degraded.map { "\(line). \($0)" } ?? line
    }
}

extension ScanNotification {
    /// A harmless message for the Settings test button: same shapes, marked as a test.
    public static func test(mode: ScanMode = .ddrive, day: CalendarDay, at: Date) -> ScanNotification {
        let record = BackupRecord(
            mode: mode, outletCode: "TEST-OUTLET", scanDate: day, status: .failed, duration: .zero,
            failureKind: .unreachable, errorDetails: "This is a test message from Outlet Backup Monitor.",
            scannedAt: at)
        let summary = ScanSummary(
            scanID: "test", mode: mode, day: day, records: [record], succeeded: 0, failed: 1, processingTime: .zero,
            finishedAt: at)
        return ScanNotification(summary: summary, trigger: "test", isRetry: false, previous: [:])
    }
}
