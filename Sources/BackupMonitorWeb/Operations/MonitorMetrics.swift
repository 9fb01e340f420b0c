import BackupMonitor
import Foundation
import Prometheus
import Synchronization

/// The process's Prometheus metrics (SPEC §12): a swift-prometheus registry for what this
/// process counts as it goes (HTTP requests, scan durations, SMB errors), and gauges read from
/// the database at each scrape for what is true now (outlets by status, backup ages).
///
/// The registry is owned here, not installed as the global swift-metrics backend, so every
/// application (and every test) has its own numbers.
public final class MonitorMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// Scans that ended after this instant are still to be counted.
    private let watermark: Mutex<Date>
    /// Scans already counted (by the follower or from the database), newest last; bounded.
    private let counted = Mutex<[String]>([])
    private let absorbing = ScanAbsorbLock()

    static let requestBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
        .seconds(60), .seconds(300),
    ]
    static let scanBuckets: [Duration] = [
        .seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
        .seconds(600), .seconds(1200), .seconds(1800), .seconds(3600),
    ]

    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_requests", unitName: "total",
            helpText: "HTTP requests by method, route pattern and status.")
    }
    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_request_duration", unitName: "seconds",
            helpText: "Time from request to the end of the response body (event streams included).")
    }
    static var scanDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "backup_monitor", metricName: "scan_duration", unitName: "seconds",
            helpText: "Duration of scans that ended since this process started, by mode and kind.")
    }
    static var smbErrors: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "backup_monitor", metricName: "smb_errors", unitName: "total",
            helpText: "Outlets that failed on reaching or reading them over SMB, by mode and category.")
    }

    /// `startedAt`: scans that ended before it belong to an earlier process and are not counted.
    public init(startedAt: Date = Date()) {
        watermark = Mutex(startedAt)
        // Counters exist from the start at zero, so rate() works from the first failure.
        for mode in ScanMode.allCases {
            for kind in FailureKind.allCases where kind.isSMBError {
                _ = registry.makeCounter(
                    descriptor: Self.smbErrors, labels: [("mode", mode.rawValue), ("category", kind.rawValue)])
            }
        }
    }

    /// Counts one answered request; `route` is the router's pattern (`/api/v1/outlets/{code}`).
    public func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(descriptor: Self.requests, labels: labels).increment()
        registry.makeDurationHistogram(descriptor: Self.requestDuration, labels: labels, buckets: Self.requestBuckets)
            .record(duration)
    }

    /// True the first time it is asked for `scanID`: whoever claims a scan counts it, once.
    func claim(_ scanID: String) -> Bool {
        counted.withLock { ids in
            guard !ids.contains(scanID) else { return false }
            ids.append(scanID)
            if ids.count > 1000 { ids.removeFirst(ids.count - 1000) }
            return true
        }
    }

    /// Counts a scan as it ends, from its own records (exact, before any later scan replaces
    /// them); wired to the coordinator's finished scans in `AppDependencies`.
    func record(_ summary: ScanSummary, kind: ScanKind) {
        guard claim(summary.scanID) else { return }
        registry.makeDurationHistogram(
            descriptor: Self.scanDuration, labels: [("mode", summary.mode.rawValue), ("kind", kind.rawValue)],
            buckets: Self.scanBuckets
        ).record(summary.processingTime)
        for (kind, count) in summary.failuresByKind where kind.isSMBError {
            registry.makeCounter(
                descriptor: Self.smbErrors, labels: [("mode", summary.mode.rawValue), ("category", kind.rawValue)]
            ).increment(by: Int64(count))
        }
    }

    /// Counts scans that ended since the last call and that `record` did not see: scans of
    /// another process sharing the database (the CLI), or too short to be caught running. Their
    /// SMB failures come from the records still carrying the scan's id (a later re-scan of an
    /// outlet takes its record over), so these counts are a lower bound.
    public func absorbEndedScans(scans: ScanRepository, records: RecordRepository) async throws {
        try await absorbing.run {
            let since = watermark.withLock { $0 }
            for run in try await scans.ended(after: since) {
                if let end = run.finishedAt { watermark.withLock { $0 = max($0, end) } }
                guard claim(run.id) else { continue }
                if let end = run.finishedAt {
                    let seconds = max(0, end.timeIntervalSince(run.startedAt))
                    registry.makeDurationHistogram(
                        descriptor: Self.scanDuration,
                        labels: [("mode", run.mode.rawValue), ("kind", run.kind.rawValue)], buckets: Self.scanBuckets
                    ).record(.milliseconds(Int64(seconds * 1000)))
                }
                for (kind, count) in try await records.failureCounts(scanID: run.id) where kind.isSMBError {
                    registry.makeCounter(
                        descriptor: Self.smbErrors, labels: [("mode", run.mode.rawValue), ("category", kind.rawValue)]
                    ).increment(by: Int64(count))
                }
            }
        }
    }
}

/// Lets one absorb run at a time, so two concurrent scrapes cannot count a scan twice.
private actor ScanAbsorbLock {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run(_ body: @Sendable () async throws -> Void) async throws {
        while busy { await withCheckedContinuation { waiters.append($0) } }
        busy = true
        defer {
            busy = false
            if !waiters.isEmpty { waiters.removeFirst().resume() }
        }
        try await body()
    }
}
