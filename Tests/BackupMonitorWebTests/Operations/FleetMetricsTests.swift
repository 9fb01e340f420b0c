import BackupMonitor
import BackupMonitorTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// After a real scan of the Samba fleet, `/metrics` scraped over HTTP (curl, as Prometheus
/// would) agrees with the fleet's manifest, and the scan's one notification, delivered to a
/// receiver on 127.0.0.1, lists every failing outlet under its reason.
@Suite("Metrics and notification after a fleet scan", .enabled(if: FleetManifest.isAvailable), .serialized)
struct FleetMetricsTests {
    @Test func scrapeAndNotificationAgreeWithTheManifest() async throws {
        let manifest = try FleetManifest.load()
        let day = try #require(CalendarDay(manifest.pastDate))
        try await TestApp.with(configure: TestApp.fleetConfiguration(manifest)) { app in
            try await app.dependencies.outlets.save(manifest.domainOutlets)
            let summary = try await app.dependencies.coordinator.run(
                ScanRequest(mode: .ddrive, day: day, kind: .scheduled, triggeredBy: "test"))
            let expected = manifest.outlets.compactMap { $0.expected(.ddrive, day) }
            #expect(summary.failed == expected.filter { $0.status == "failed" }.count)

            let application = Application(
                router: buildRouter(app.dependencies), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                logger: TestApp.logger)
            let text = try await application.test(.live) { client in
                let port = try #require(client.port)
                return try await Curl.run(["-sS", "--max-time", "60", "http://127.0.0.1:\(port)/metrics"])
            }
            try? text.write(toFile: "/tmp/bm-fleet-metrics.txt", atomically: true, encoding: .utf8)
            let scrape = PrometheusScrape(text)
            #expect(scrape.problems.isEmpty, "\(scrape.problems.prefix(5))")

            var byReason: [String: Int] = [:]
            for want in expected where want.status == "failed" { byReason[want.errorKind ?? "?", default: 0] += 1 }
            for kind in FailureKind.allCases {
                let want = Double(byReason[kind.rawValue] ?? 0)
                #expect(
                    scrape.value("backup_monitor_latest_day_failures", ["mode": "ddrive", "reason": kind.rawValue])
                        == want, "\(kind.rawValue)")
                #expect(
                    scrape.value("backup_monitor_smb_errors_total", ["mode": "ddrive", "category": kind.rawValue])
                        == (kind.isSMBError ? want : nil), "\(kind.rawValue)")
            }
            let failed = expected.filter { $0.status == "failed" }.count
            #expect(
                scrape.value("backup_monitor_latest_day_outlets", ["mode": "ddrive", "status": "failed"])
                    == Double(failed))
            #expect(
                scrape.value("backup_monitor_latest_day_outlets", ["mode": "ddrive", "status": "success"])
                    == Double(expected.count - failed))
            #expect(
                scrape.value("backup_monitor_scan_duration_seconds_count", ["mode": "ddrive", "kind": "scheduled"]) == 1
            )
            let withFile = summary.records.filter { $0.lastBackupAt != nil }
            let ages = scrape.samples("backup_monitor_newest_backup_age_seconds")
            #expect(ages.count == withFile.count)
            for record in withFile.prefix(20) {
                let age = scrape.value(
                    "backup_monitor_newest_backup_age_seconds", ["mode": "ddrive", "outlet": record.outletCode])
                let want = Date().timeIntervalSince(try #require(record.lastBackupAt))
                #expect(age.map { abs($0 - want) < 300 } == true, "\(record.outletCode)")
            }
            #expect(
                scrape.value("http_requests_total", ["method": "GET", "route": "/metrics", "status": "200"]) == nil)

            // A retry of only the failing outlets (as the scheduler runs it) replaces their records; the
            // SMB error counter still counts both scans' errors, since it is counted per scan, not per record.
            let failing = summary.records.filter { $0.status == .failed }.map(\.outletCode)
            let retry = try await app.dependencies.coordinator.run(
                ScanRequest(mode: .ddrive, day: day, outletCodes: failing, kind: .scheduled, triggeredBy: "retry"))
            #expect(retry.failed == failing.count)
            let afterRetry = try await application.test(.live) { client in
                let port = try #require(client.port)
                return PrometheusScrape(
                    try await Curl.run(["-sS", "--max-time", "60", "http://127.0.0.1:\(port)/metrics"]))
            }
            for kind in FailureKind.allCases where kind.isSMBError {
                let want = Double(2 * (byReason[kind.rawValue] ?? 0))
                #expect(
                    afterRetry.value("backup_monitor_smb_errors_total", ["mode": "ddrive", "category": kind.rawValue])
                        == want, "\(kind.rawValue) after the retry")
            }
            #expect(
                afterRetry.value("backup_monitor_scan_duration_seconds_count", ["mode": "ddrive", "kind": "scheduled"])
                    == 2)
            #expect(
                afterRetry.value("backup_monitor_latest_day_outlets", ["mode": "ddrive", "status": "failed"])
                    == Double(failed))

            // The scan's one message, to a receiver on loopback, in the Slack and generic shapes.
            let receiver = WebhookReceiver()
            try await receiver.serve { base in
                let configuration = try MonitorConfiguration(values: [
                    "TZ": manifest.timeZone, "NOTIFY_WEBHOOKS": "slack:\(base)/slack/T1/abc,\(base)/generic",
                ])
                let notifier = WebhookNotifier(
                    configuration: configuration, database: app.database, logger: TestApp.logger)
                let notification = ScanNotification(summary: summary, trigger: "07:30", isRetry: false, previous: [:])
                let results = await notifier.deliver(notification)
                #expect(results.map(\.status) == [.delivered, .delivered])
            }
            let received = await receiver.received
            #expect(received.count == 2, "one message per target, not one per outlet")
            for message in received {
                let name = message.path.hasPrefix("/slack") ? "slack" : "generic"
                try? message.body.write(to: URL(fileURLWithPath: "/tmp/bm-fleet-notification-\(name).json"))
            }
            let generic = try #require(received.json.first { $0["event"] != nil })
            let groups = try #require(generic["newlyFailing"] as? [[String: Any]])
            var listed: [String: Int] = [:]
            for group in groups {
                listed[group["reason"] as? String ?? "?"] = (group["outlets"] as? [Any])?.count
            }
            #expect(listed == byReason)
            #expect(generic["failed"] as? Int == failed)
        }
    }
}
