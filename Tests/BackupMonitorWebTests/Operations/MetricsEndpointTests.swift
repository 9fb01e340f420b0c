import BackupMonitor
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// SPEC §12 `/metrics` and `/health`: the text parses, and each family says what happened.
@Suite("Metrics and health")
struct MetricsEndpointTests {
    @Test func scrapeAfterAScanAndSomeRequests() async throws {
        try await TestApp.with { app in
            let day = CalendarDay("2026-02-20")!
            // Port 1 on loopback refuses: an `unreachable` SMB error.
            try await app.dependencies.outlets.save([Outlet(code: "OUTLET001", host: "127.0.0.1", port: 1)])
            _ = try await app.dependencies.coordinator.run(
                ScanRequest(mode: .ddrive, day: day, triggeredBy: "test"))
            let backupAt = Date().addingTimeInterval(-7200)
            try await app.dependencies.records.save(
                BackupRecord(
                    mode: .ddrive, outletCode: "OUTLET002", scanDate: day.adding(days: -1), status: .success,
                    lastBackupAt: backupAt, fileName: "x.bak", fileSize: 5_000_000, duration: .milliseconds(5),
                    scannedAt: Date()))
            try await app.test { client in
                let outlet = try await client.execute(
                    uri: "/api/v1/outlets/OUTLET001", method: .get, headers: app.headers(.viewer))
                #expect(outlet.status == .ok)
                _ = try await client.execute(uri: "/api/v1/outlets/OUTLET001", method: .get)
                let unknown = try await client.execute(
                    uri: "/api/v1/no-such-thing/\(UUID())", method: .get, headers: app.headers(.viewer))
                #expect(unknown.status == .notFound)
                let first = try await client.execute(uri: "/metrics", method: .get)
                #expect(first.status == .ok)
                #expect(first.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let scrape = PrometheusScrape(first.text)
                #expect(scrape.problems.isEmpty, "\(scrape.problems)")

                let route = ["method": "GET", "route": "/api/v1/outlets/{code}", "status": "200"]
                #expect(scrape.value("http_requests_total", route) == 1, "\(scrape.samples("http_requests_total"))")
                #expect(scrape.value("http_request_duration_seconds_count", route) == 1)
                #expect(scrape.types["http_request_duration_seconds"] == "histogram")
                // Refusals are counted under their route with their status.
                #expect(
                    scrape.value(
                        "http_requests_total", ["method": "GET", "route": "/api/v1/outlets/{code}", "status": "401"])
                        == 1)
                // A path that matches no route: one series for all of them, whatever the path was.
                #expect(
                    scrape.value("http_requests_total", ["method": "GET", "route": "NotFound", "status": "404"]) == 1)
                #expect(
                    scrape.value("backup_monitor_smb_errors_total", ["mode": "ddrive", "category": "unreachable"]) == 1)
                #expect(scrape.value("backup_monitor_smb_errors_total", ["mode": "ddrive", "category": "auth"]) == 0)
                #expect(scrape.types["backup_monitor_smb_errors_total"] == "counter")
                #expect(
                    scrape.value("backup_monitor_scan_duration_seconds_count", ["mode": "ddrive", "kind": "full"]) == 1)
                #expect(
                    scrape.value("backup_monitor_latest_day_outlets", ["mode": "ddrive", "status": "failed"]) == 1)
                #expect(
                    scrape.value("backup_monitor_latest_day_failures", ["mode": "ddrive", "reason": "unreachable"])
                        == 1)
                #expect(
                    scrape.value("backup_monitor_latest_day_timestamp_seconds", ["mode": "ddrive"])
                        == day.start(in: app.dependencies.configuration.timeZone).timeIntervalSince1970)
                let age = try #require(
                    scrape.value("backup_monitor_newest_backup_age_seconds", ["mode": "ddrive", "outlet": "OUTLET002"]))
                #expect(abs(age - 7200) < 120)
                #expect(scrape.value("backup_monitor_database_up") == 1)

                // A second scrape counts nothing twice; the first scrape itself is now counted.
                let second = PrometheusScrape(try await client.execute(uri: "/metrics", method: .get).text)
                #expect(
                    second.value("backup_monitor_smb_errors_total", ["mode": "ddrive", "category": "unreachable"]) == 1)
                #expect(
                    second.value("backup_monitor_scan_duration_seconds_count", ["mode": "ddrive", "kind": "full"]) == 1)
                #expect(
                    second.value("http_requests_total", ["method": "GET", "route": "/metrics", "status": "200"]) == 1)
            }
        }
    }

    @Test func healthReportsTheDatabaseAndTheLastScanPerMode() async throws {
        try await TestApp.with(configuration: ["SCHEDULE_IBSTORAGE": "08:00"]) { app in
            try await app.dependencies.outlets.save([Outlet(code: "OUTLET001", host: "127.0.0.1", port: 1)])
            _ = try await app.dependencies.coordinator.run(
                ScanRequest(mode: .ddrive, day: CalendarDay("2026-02-20")!, triggeredBy: "test"))
            try await app.test { client in
                let health = try await client.execute(uri: "/health", method: .get)
                #expect(health.status == .ok)
                #expect(health.json["status"] as? String == "ok")
                #expect(health.json["database"] as? String == "ok")
                let last = try #require((health.json["lastScan"] as? [String: Any])?["ddrive"] as? [String: Any])
                #expect(last["kind"] as? String == "full")
                #expect((last["ageSeconds"] as? Int).map { $0 >= 0 && $0 < 120 } == true)
                #expect(health.json["warnings"] as? [String] == ["ibstorage: scheduled but never scanned"])
            }
        }
        // A PostgreSQL that refuses (nothing listens on port 1): the database is unreachable.
        let unreachable = try await MonitorDatabase.open(
            .postgres(url: "postgres://monitor:x@127.0.0.1:1/monitor"), migrate: false, logger: TestApp.logger)
        let configuration = try MonitorConfiguration(values: ["TZ": "UTC"])
        let dependencies = try AppDependencies(
            configuration: configuration, database: unreachable,
            coordinator: ScanCoordinator(
                configuration: configuration, database: unreachable, logFile: nil, logger: TestApp.logger),
            logger: TestApp.logger)
        let application = Application(router: buildRouter(dependencies), logger: TestApp.logger)
        try await application.test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .serviceUnavailable)
            #expect(health.json["status"] as? String == "degraded")
            #expect(health.json["database"] as? String == "unreachable")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .serviceUnavailable)
            #expect(PrometheusScrape(metrics.text).value("backup_monitor_database_up") == 0)
        }
        await unreachable.close()
    }
}
