import BackupMonitor
import Foundation
import Hummingbird

/// Health and metrics (SPEC §12), the only endpoints besides login open to anonymous callers:
/// load balancers and Prometheus do not sign in. Neither says anything secret; metrics carry
/// outlet codes (backup ages), which is why the nginx site serves `/metrics` to internal
/// networks only.
struct OperationsController {
    let dependencies: AppDependencies

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, "/health", .anonymous,
                OperationDoc(
                    "health",
                    "Database reachable and age of the last scan per mode: 200 ok, 503 degraded (database "
                        + "unreachable). Scheduled modes whose last scan is over 26 hours old, and a last scan that "
                        + "was degraded (the monitor or its network overloaded), are listed in warnings.",
                    tag: "Operations",
                    success: (
                        200,
                        .json(
                            Schema.object([
                                "status": Schema.enumeration(["ok", "degraded"]), "database": Schema.string,
                                "lastScan": ["type": "object"], "runningScans": Schema.array(Schema.string),
                                "warnings": Schema.array(Schema.string), "timestamp": Schema.dateTime,
                            ]))
                    ),
                    errors: [503]),
                handler: { _, _ in await health() }),
            Endpoint(
                .get, "/metrics", .anonymous,
                OperationDoc(
                    "metrics",
                    "Prometheus text: HTTP requests, scan durations, SMB errors by category, outlets by status and "
                        + "reason for the latest day, age of each outlet's newest backup, scans by state.",
                    tag: "Operations", success: (200, .text), errors: [503]),
                handler: { _, _ in try await metrics() }),
        ] + ScheduleEndpoints(dependencies: dependencies).endpoints
    }

    private struct LastScan: Encodable {
        var scanId: String
        var kind: String
        var state: String
        var scanDate: String
        var finishedAt: String?
        var ageSeconds: Int
        var degraded: String?
    }

    private struct Health: Encodable {
        var status: String
        var database: String
        var lastScan: [String: LastScan]
        var runningScans: [String]
        var warnings: [String]
        var timestamp: String
    }

    /// A scheduled mode with no scan for this long has missed at least one day.
    static let staleScanAge: TimeInterval = 26 * 3600

    private func health() async -> Response {
        let reachable = await dependencies.database.isReachable()
        var last: [String: LastScan] = [:]
        var running: [String] = []
        var warnings: [String] = []
        let timeZone = dependencies.configuration.timeZone
        let now = Date()
        if reachable {
            for mode in ScanMode.allCases {
                if await dependencies.coordinator.runningScan(mode) != nil { running.append(mode.rawValue) }
                let scheduled = !(dependencies.configuration.scheduleTimes[mode] ?? []).isEmpty
                guard let run = try? await dependencies.scans.recent(mode: mode, limit: 1).first else {
                    if scheduled { warnings.append("\(mode.rawValue): scheduled but never scanned") }
                    continue
                }
                let at = run.finishedAt ?? run.startedAt
                let age = max(0, Int(now.timeIntervalSince(at)))
                last[mode.rawValue] = LastScan(
                    scanId: run.id, kind: run.kind.rawValue, state: run.state.rawValue, scanDate: run.day.description,
                    finishedAt: run.finishedAt.map { ISO8601Text.format($0, timeZone: timeZone) }, ageSeconds: age,
                    degraded: run.degraded)
                if let degraded = run.degraded { warnings.append("\(mode.rawValue): \(degraded)") }
                if scheduled, TimeInterval(age) > Self.staleScanAge {
                    warnings.append("\(mode.rawValue): last scan \(age / 3600) hours ago")
                }
            }
        }
        // Only the database makes the process unusable; stale scans are a warning, since
        // restarting the server (what a failing health check leads to) would not fix them.
        return JSONResponse.make(
            Health(
                status: reachable ? "ok" : "degraded", database: reachable ? "ok" : "unreachable", lastScan: last,
                runningScans: running, warnings: warnings, timestamp: JSONResponse.timestamp(now, timeZone)),
            status: reachable ? .ok : .serviceUnavailable)
    }

    private func metrics() async throws -> Response {
        let metrics = dependencies.metrics
        var exposition = PrometheusText()
        let reachable = await dependencies.database.isReachable()
        exposition.family("backup_monitor_database_up", "gauge", "1 when the database answers.")
        exposition.sample("backup_monitor_database_up", [], reachable ? 1 : 0)
        guard reachable else {
            return Self.text(metrics.registry.emitToString() + exposition.text, status: .serviceUnavailable)
        }
        try await metrics.absorbEndedScans(scans: dependencies.scans, records: dependencies.records)
        try await DatabaseGauges(dependencies: dependencies).write(into: &exposition, now: Date())
        return Self.text(metrics.registry.emitToString() + exposition.text, status: .ok)
    }

    private static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
