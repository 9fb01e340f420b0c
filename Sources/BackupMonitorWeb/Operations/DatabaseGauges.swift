import BackupMonitor
import Foundation

/// The gauges of `/metrics` that describe the fleet now, read from the database at each scrape
/// (so they agree with the dashboard, and a CLI scan shows up too).
struct DatabaseGauges {
    let dependencies: AppDependencies

    func write(into out: inout PrometheusText, now: Date) async throws {
        let modes = ScanMode.allCases
        out.family("backup_monitor_scans", "gauge", "Scans stored, by mode and state.")
        let counts = try await dependencies.scans.stateCounts()
        for mode in modes {
            for state in [ScanRun.State.running, .finished, .interrupted, .failed] {
                let count = counts.first { $0.mode == mode && $0.state == state }?.count ?? 0
                out.sample("backup_monitor_scans", [("mode", mode.rawValue), ("state", state.rawValue)], Double(count))
            }
        }
        out.family("backup_monitor_scan_running", "gauge", "1 while a scan of the mode runs in this process.")
        for mode in modes {
            let running = await dependencies.coordinator.runningScan(mode) != nil
            out.sample("backup_monitor_scan_running", [("mode", mode.rawValue)], running ? 1 : 0)
        }
        var lastOutlets: [(ScanMode, ScanRun)] = []
        for mode in modes {
            if let run = try await dependencies.scans.recent(mode: mode, limit: 5).first(where: {
                $0.state == .finished && $0.finishedAt != nil
            }) {
                lastOutlets.append((mode, run))
            }
        }
        out.family("backup_monitor_last_scan_outlets", "gauge", "Outlets by status in the last finished scan.")
        for (mode, run) in lastOutlets {
            out.sample(
                "backup_monitor_last_scan_outlets", [("mode", mode.rawValue), ("status", "success")],
                Double(run.succeeded))
            out.sample(
                "backup_monitor_last_scan_outlets", [("mode", mode.rawValue), ("status", "failed")], Double(run.failed))
        }
        out.family("backup_monitor_last_scan_finished_timestamp_seconds", "gauge", "When the last scan finished.")
        for (mode, run) in lastOutlets {
            out.sample(
                "backup_monitor_last_scan_finished_timestamp_seconds", [("mode", mode.rawValue)],
                (run.finishedAt ?? run.startedAt).timeIntervalSince1970.rounded())
        }
        out.family(
            "backup_monitor_last_scan_degraded", "gauge",
            "1 when the last finished scan looked overloaded (timed-out outlets answered when tried again).")
        for (mode, run) in lastOutlets {
            out.sample("backup_monitor_last_scan_degraded", [("mode", mode.rawValue)], run.degraded == nil ? 0 : 1)
        }
        out.family(
            "backup_monitor_last_scan_retried_outlets", "gauge",
            "Outlets of the last finished scan tried again because they timed out, by result.")
        for (mode, run) in lastOutlets {
            out.sample(
                "backup_monitor_last_scan_retried_outlets", [("mode", mode.rawValue), ("result", "recovered")],
                Double(run.recovered))
            out.sample(
                "backup_monitor_last_scan_retried_outlets", [("mode", mode.rawValue), ("result", "failed")],
                Double(run.retried - run.recovered))
        }
        out.family("backup_monitor_outlets", "gauge", "Outlets configured.")
        out.sample("backup_monitor_outlets", [], Double(try await dependencies.outlets.all().count))

        var latest: [LatestDayCounts] = []
        for mode in modes {
            if let counts = try await dependencies.records.latestDayCounts(mode: mode) { latest.append(counts) }
        }
        let timeZone = dependencies.configuration.timeZone
        out.family(
            "backup_monitor_latest_day_timestamp_seconds", "gauge",
            "Start of the newest scan day with records, by mode (the day the two families below describe).")
        for counts in latest {
            out.sample(
                "backup_monitor_latest_day_timestamp_seconds", [("mode", counts.mode.rawValue)],
                counts.day.start(in: timeZone).timeIntervalSince1970)
        }
        out.family("backup_monitor_latest_day_outlets", "gauge", "Outlets by status on the newest scan day, by mode.")
        for counts in latest {
            for status in BackupStatus.allCases {
                out.sample(
                    "backup_monitor_latest_day_outlets", [("mode", counts.mode.rawValue), ("status", status.rawValue)],
                    Double(counts.byStatus[status] ?? 0))
            }
        }
        out.family(
            "backup_monitor_latest_day_failures", "gauge", "Failed outlets by reason on the newest scan day, by mode.")
        for counts in latest {
            for kind in FailureKind.allCases {
                out.sample(
                    "backup_monitor_latest_day_failures", [("mode", counts.mode.rawValue), ("reason", kind.rawValue)],
                    Double(counts.byReason[kind] ?? 0))
            }
        }
        out.family(
            "backup_monitor_newest_backup_age_seconds", "gauge",
            "Seconds since each outlet's newest backup file seen, by mode (outlets never seen with one are absent).")
        for mode in modes {
            for (outlet, at) in try await dependencies.records.newestBackups(mode: mode) {
                out.sample(
                    "backup_monitor_newest_backup_age_seconds", [("mode", mode.rawValue), ("outlet", outlet)],
                    max(0, now.timeIntervalSince(at)).rounded())
            }
        }
    }
}
