import BackupMonitor
import Foundation
import Hummingbird

/// Health and metrics (SPEC §12), the only endpoints besides login open to anonymous callers:
/// load balancers and Prometheus do not sign in. Neither says anything about outlets.
struct OperationsController {
    let dependencies: AppDependencies

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, "/health", .anonymous,
                OperationDoc(
                    "health",
                    "Database reachable and age of the last finished scan per mode; 503 when the database is not.",
                    tag: "Operations",
                    success: (
                        200,
                        .json(
                            Schema.object([
                                "status": Schema.enumeration(["ok", "unavailable"]), "database": Schema.string,
                            ]))
                    ),
                    errors: [503]),
                handler: { _, _ in await health() }),
            Endpoint(
                .get, "/metrics", .anonymous,
                OperationDoc(
                    "metrics",
                    "Prometheus text: scans by mode and state, running scans, last scan's results and age, outlets. "
                        + "A minimal set until the operations work adds request metrics.",
                    tag: "Operations", success: (200, .text), errors: [503]),
                handler: { _, _ in try await metrics() }),
        ]
    }

    private struct LastScan: Encodable {
        var scanId: String
        var state: String
        var scanDate: String
        var finishedAt: String?
        var ageSeconds: Int
    }

    private struct Health: Encodable {
        var status: String
        var database: String
        var lastScan: [String: LastScan]
        var runningScans: [String]
        var timestamp: String
    }

    private func health() async -> Response {
        let reachable = await dependencies.database.isReachable()
        var last: [String: LastScan] = [:]
        var running: [String] = []
        let timeZone = dependencies.configuration.timeZone
        if reachable {
            for mode in ScanMode.allCases {
                if await dependencies.coordinator.runningScan(mode) != nil { running.append(mode.rawValue) }
                guard let run = try? await dependencies.scans.recent(mode: mode, limit: 1).first else { continue }
                let at = run.finishedAt ?? run.startedAt
                last[mode.rawValue] = LastScan(
                    scanId: run.id, state: run.state.rawValue, scanDate: run.day.description,
                    finishedAt: run.finishedAt.map { ISO8601Text.format($0, timeZone: timeZone) },
                    ageSeconds: max(0, Int(Date().timeIntervalSince(at))))
            }
        }
        return JSONResponse.make(
            Health(
                status: reachable ? "ok" : "unavailable", database: reachable ? "ok" : "unreachable", lastScan: last,
                runningScans: running, timestamp: JSONResponse.timestamp(Date(), timeZone)),
            status: reachable ? .ok : .serviceUnavailable)
    }

    private func metrics() async throws -> Response {
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        let reachable = await dependencies.database.isReachable()
        family("backup_monitor_database_up", "gauge", "1 when the database answers.")
        lines.append("backup_monitor_database_up \(reachable ? 1 : 0)")
        guard reachable else { return Self.text(lines, status: .serviceUnavailable) }

        family("backup_monitor_scans", "gauge", "Scans stored, by mode and state.")
        let counts = try await dependencies.scans.stateCounts()
        for mode in ScanMode.allCases {
            for state in [ScanRun.State.running, .finished, .interrupted] {
                let count = counts.first { $0.mode == mode && $0.state == state }?.count ?? 0
                lines.append("backup_monitor_scans{mode=\"\(mode.rawValue)\",state=\"\(state.rawValue)\"} \(count)")
            }
        }
        family("backup_monitor_scan_running", "gauge", "1 while a scan of the mode runs in this process.")
        for mode in ScanMode.allCases {
            let running = await dependencies.coordinator.runningScan(mode) != nil
            lines.append("backup_monitor_scan_running{mode=\"\(mode.rawValue)\"} \(running ? 1 : 0)")
        }
        var outcome: [String] = []
        var finished: [String] = []
        for mode in ScanMode.allCases {
            guard
                let run = try await dependencies.scans.recent(mode: mode, limit: 5).first(where: {
                    $0.state == .finished
                }),
                let at = run.finishedAt
            else { continue }
            outcome.append(
                "backup_monitor_last_scan_outlets{mode=\"\(mode.rawValue)\",status=\"success\"} \(run.succeeded)")
            outcome.append(
                "backup_monitor_last_scan_outlets{mode=\"\(mode.rawValue)\",status=\"failed\"} \(run.failed)")
            finished.append(
                "backup_monitor_last_scan_finished_timestamp_seconds{mode=\"\(mode.rawValue)\"} \(Int(at.timeIntervalSince1970))"
            )
        }
        family("backup_monitor_last_scan_outlets", "gauge", "Outlets by status in the last finished scan.")
        lines += outcome
        family("backup_monitor_last_scan_finished_timestamp_seconds", "gauge", "When the last scan finished.")
        lines += finished
        family("backup_monitor_outlets", "gauge", "Outlets configured.")
        lines.append("backup_monitor_outlets \(try await dependencies.outlets.all().count)")
        return Self.text(lines, status: .ok)
    }

    private static func text(_ lines: [String], status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n")))
    }
}
