import BackupMonitor
import BackupMonitorTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

@Suite("Outlets, users, health and metrics")
struct ResourceTests {
    @Test(arguments: DatabaseFlavor.available)
    func outletsCRUDAndAllOrNothingCSVImport(_ flavor: DatabaseFlavor) async throws {
        try await TestApp.with(flavor) { app in
            try await app.test { client in
                let admin = app.headers(.admin, json: true)
                let created = try await client.execute(
                    uri: "/api/v1/outlets", method: .post, headers: admin,
                    body: .json(["code": "OUTLET010", "host": "10.0.0.10", "region": "North", "share": "e$"]))
                #expect(created.status == .created)
                let duplicate = try await client.execute(
                    uri: "/api/v1/outlets", method: .post, headers: admin, body: .json(["code": "OUTLET010"]))
                #expect(duplicate.status == .conflict)
                let put = try await client.execute(
                    uri: "/api/v1/outlets/OUTLET010", method: .put, headers: admin,
                    body: .json(["host": "10.0.0.11", "enabled": false]))
                #expect(put.status == .ok)
                let read = try await client.execute(
                    uri: "/api/v1/outlets/OUTLET010", method: .get, headers: app.headers(.viewer))
                #expect(read.json["host"] as? String == "10.0.0.11")
                #expect(read.json["enabled"] as? Bool == false)

                var csv = app.headers(.admin)
                csv[.contentType] = "text/csv"
                let bad = try await client.execute(
                    uri: "/api/v1/outlets/import", method: .post, headers: csv,
                    body: ByteBuffer(string: "code,host,port\nOUTLET020,10.0.0.20,445\nOUTLET021,10.0.0.21,nope\n"))
                #expect(bad.status == .badRequest)
                let problems = try #require(bad.json["problems"] as? [String])
                #expect(problems.contains { $0.hasPrefix("line 3:") && $0.contains("port") })
                #expect(try await app.dependencies.outlets.outlet(code: "OUTLET020") == nil)
                let good = try await client.execute(
                    uri: "/api/v1/outlets/import", method: .post, headers: csv,
                    body: ByteBuffer(string: "code,host,port\nOUTLET020,10.0.0.20,445\nOUTLET021,10.0.0.21,446\n"))
                #expect(good.json["imported"] as? Int == 2)

                let deleted = try await client.execute(
                    uri: "/api/v1/outlets/OUTLET010", method: .delete, headers: admin)
                #expect(deleted.status == .ok)
                let gone = try await client.execute(uri: "/api/v1/outlets/OUTLET010", method: .delete, headers: admin)
                #expect(gone.status == .notFound)
            }
        }
    }

    @Test func usersAreManagedByAdminsAndTheLastAdminStays() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                let admin = app.headers(.admin, json: true)
                let created = try await client.execute(
                    uri: "/api/v1/users", method: .post, headers: admin,
                    body: .json(["username": "night.shift", "password": "a long password", "role": "operator"]))
                #expect(created.status == .created)
                #expect(!created.text.contains("password_hash") && !created.text.contains("$2"))
                let list = try await client.execute(uri: "/api/v1/users", method: .get, headers: admin)
                #expect((list.json["data"] as? [[String: Any]])?.count == 4)
                let promoted = try await client.execute(
                    uri: "/api/v1/users/night.shift", method: .patch, headers: admin, body: .json(["role": "viewer"]))
                #expect(promoted.json["role"] as? String == "viewer")
                let demoteLast = try await client.execute(
                    uri: "/api/v1/users/admin-user", method: .patch, headers: admin, body: .json(["role": "viewer"]))
                #expect(demoteLast.status == .conflict)
                let deleteLast = try await client.execute(
                    uri: "/api/v1/users/admin-user", method: .delete, headers: admin)
                #expect(deleteLast.status == .conflict)
                let deleted = try await client.execute(
                    uri: "/api/v1/users/night.shift", method: .delete, headers: admin)
                #expect(deleted.status == .ok)
                let missing = try await client.execute(
                    uri: "/api/v1/users/night.shift", method: .delete, headers: admin)
                #expect(missing.status == .notFound)
            }
        }
    }

    @Test func healthAndMetricsAreOpenAndTruthful() async throws {
        try await TestApp.with { app in
            try await app.dependencies.outlets.save([Outlet(code: "OUTLET001", host: "127.0.0.1", port: 1)])
            _ = try await app.dependencies.coordinator.run(
                ScanRequest(mode: .ddrive, day: CalendarDay("2026-02-20")!, triggeredBy: "test"))
            try await app.test { client in
                let health = try await client.execute(uri: "/health", method: .get)
                #expect(health.status == .ok)
                #expect(health.json["database"] as? String == "ok")
                let last = try #require((health.json["lastScan"] as? [String: Any])?["ddrive"] as? [String: Any])
                #expect(last["state"] as? String == "finished")
                #expect((last["ageSeconds"] as? Int ?? -1) >= 0)
                let metrics = try await client.execute(uri: "/metrics", method: .get)
                #expect(metrics.status == .ok)
                #expect(metrics.text.contains(#"backup_monitor_scans{mode="ddrive",state="finished"} 1"#))
                #expect(metrics.text.contains(#"backup_monitor_last_scan_outlets{mode="ddrive",status="failed"} 1"#))
                #expect(metrics.text.contains("backup_monitor_outlets 1"))
            }
        }
    }
}
