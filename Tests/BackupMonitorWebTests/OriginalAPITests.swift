import BackupMonitor
import BackupMonitorTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// The original system's endpoints (SPEC §7): paths, parameters and field names.
@Suite("Original API")
struct OriginalAPITests {
    static let day = CalendarDay("2026-02-20")!

    /// Three outlets, two days of D-Drive records and one IBSTORAGE record.
    static func seed(_ app: TestApp) async throws {
        try await app.dependencies.outlets.save([
            Outlet(code: "OUTLET001", host: "127.0.0.1", port: 1),
            Outlet(code: "OUTLET002", host: "127.0.0.1", port: 1),
            Outlet(code: "OUTLET003", host: "127.0.0.1", port: 1),
        ])
        let records = app.dependencies.records
        for day in [day, day.adding(days: 1)] {
            try await records.save(
                BackupRecord(
                    mode: .ddrive, outletCode: "OUTLET001", scanDate: day, status: .success,
                    lastBackupAt: day.start(in: .gmt).addingTimeInterval(7200), fileName: "OUTLET001_FULL.bak",
                    fileSize: 2_630_000_000, duration: .milliseconds(1500), scannedAt: Date()))
            try await records.save(
                BackupRecord(
                    mode: .ddrive, outletCode: "OUTLET002", scanDate: day, status: .failed, duration: .seconds(2),
                    failureKind: .unreachable, errorDetails: "connection refused", scannedAt: Date()))
        }
        try await records.save(
            BackupRecord(
                mode: .ibstorage, outletCode: "OUTLET003", scanDate: day, status: .success, fileName: "x.bak",
                fileSize: 5_000_000, duration: .seconds(1), driveLetter: "F", scannedAt: Date()))
    }

    @Test(arguments: DatabaseFlavor.available)
    func storedRecordsKeepTheOriginalFieldNamesAndFilter(_ flavor: DatabaseFlavor) async throws {
        try await TestApp.with(flavor) { app in
            try await Self.seed(app)
            try await app.test { client in
                let all = try await client.execute(
                    uri: "/api/v1/backup-stats", method: .get, headers: app.headers(.viewer))
                #expect(all.status == .ok)
                #expect(all.json["status"] as? String == "success")
                #expect(all.json["total"] as? Int == 4)
                #expect(all.json["limit"] as? Int == 30)
                let data = try #require(all.json["data"] as? [[String: Any]])
                let first = try #require(data.first)
                for key in [
                    "OutletServer", "ScanDate", "Status", "LastBackupTaken", "BackupFile", "BackupFileSize", "Duration",
                    "ErrorDetails", "DriveLetter", "errorKind", "advancedDate",
                ] {
                    #expect(first.keys.contains(key), "missing \(key)")
                }
                #expect(first["ScanDate"] as? String == "2026-02-21")
                #expect(first["BackupFileSize"] as? String == "2.45 GB")

                let failed = try await client.execute(
                    uri: "/api/v1/backup-stats?status=Failed&date_from=2026-02-20&date_to=2026-02-20", method: .get,
                    headers: app.headers(.viewer))
                let failedData = try #require(failed.json["data"] as? [[String: Any]])
                #expect(failedData.count == 1)
                #expect(failedData.first?["OutletServer"] as? String == "OUTLET002")
                #expect(failedData.first?["errorKind"] as? String == "unreachable")

                let page = try await client.execute(
                    uri: "/api/v1/backup-stats?limit=1&page=2", method: .get, headers: app.headers(.viewer))
                #expect(page.json["count"] as? Int == 1)
                #expect(page.json["offset"] as? Int == 1)
                #expect(page.json["total"] as? Int == 4)

                let outlet = try await client.execute(
                    uri: "/api/v1/backup-stats?outlet=OUTLET001&scan_date=2026-02-21", method: .get,
                    headers: app.headers(.viewer))
                #expect(outlet.json["total"] as? Int == 1)

                let ib = try await client.execute(
                    uri: "/api/v1/ibstorage-stats", method: .get, headers: app.headers(.viewer))
                let ibData = try #require(ib.json["data"] as? [[String: Any]])
                #expect(ibData.count == 1)
                #expect(ibData.first?["DriveLetter"] as? String == "F")
            }
        }
    }

    @Test func dailySummaryCountsPerDay() async throws {
        try await TestApp.with { app in
            try await Self.seed(app)
            try await app.test { client in
                let response = try await client.execute(
                    uri: "/api/v1/backup-stats/daily-summary?date_from=2026-02-01&date_to=2026-02-28", method: .get,
                    headers: app.headers(.viewer))
                #expect(response.status == .ok)
                let days = try #require(response.json["data"] as? [[String: Any]])
                #expect(days.count == 2)
                #expect(days.first?["date"] as? String == "2026-02-20")
                #expect(days.first?["successful"] as? Int == 1)
                #expect(days.first?["failed"] as? Int == 1)
                #expect(days.first?["successRate"] as? Double == 50)
                let ib = try await client.execute(
                    uri: "/api/v1/ibstorage-stats/daily-summary?date_from=2026-02-01&date_to=2026-02-28", method: .get,
                    headers: app.headers(.viewer))
                #expect((ib.json["data"] as? [[String: Any]])?.count == 1)
            }
        }
    }

    @Test func outletsListsCodesAsTheOriginalDid() async throws {
        try await TestApp.with { app in
            try await Self.seed(app)
            try await app.test { client in
                let response = try await client.execute(
                    uri: "/api/v1/outlets", method: .get, headers: app.headers(.viewer))
                #expect(response.json["data"] as? [String] == ["OUTLET001", "OUTLET002", "OUTLET003"])
                #expect(response.json["count"] as? Int == 3)
            }
        }
    }

    @Test func syncNamesUnknownOutletsAndRescansKnownOnes() async throws {
        try await TestApp.with { app in
            try await Self.seed(app)
            try await app.test { client in
                let unknown = try await client.execute(
                    uri: "/api/v1/backup-status/sync", method: .post, headers: app.headers(.operator, json: true),
                    body: .json(["outlets": ["OUTLET001", "NOPE9", "NOPE7"]]))
                #expect(unknown.status == .badRequest)
                #expect(unknown.json["parameter"] as? String == "outlets")
                #expect(unknown.json["unknown"] as? [String] == ["NOPE9", "NOPE7"])
                #expect(try await app.dependencies.scans.recent(limit: 5).isEmpty)

                let sync = try await client.execute(
                    uri: "/api/v1/ibstorage-status/sync", method: .post, headers: app.headers(.operator, json: true),
                    body: .json(["outlets": ["OUTLET002"]]))
                #expect(sync.status == .ok)
                let json = sync.json
                for key in [
                    "status", "data", "advancedDate", "count", "advancedDateCount", "processingTime", "timestamp",
                ] {
                    #expect(json.keys.contains(key), "missing \(key)")
                }
                #expect(json["count"] as? Int == 1)
                let record = try #require((json["data"] as? [[String: Any]])?.first)
                #expect(record["OutletServer"] as? String == "OUTLET002")
                #expect(record["Status"] as? String == "Failed")
                #expect(record["errorKind"] as? String == "unreachable")
            }
        }
    }

    @Test func scanStreamSendsProgressThenTheSummaryAndResumesAfterLastEventID() async throws {
        try await TestApp.with { app in
            try await Self.seed(app)
            try await app.test { client in
                let response = try await client.execute(
                    uri: "/api/v1/backup-status/scan?scan_date=2026-02-22", method: .get,
                    headers: app.headers(.operator))
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                let events = SSE.events(response.text)
                #expect(events.map(\.id) == [0, 1, 2, 3, 4])
                #expect(events.first?.data["type"] as? String == "started")
                #expect(events.first?.data["total"] as? Int == 3)
                let progress = events.dropFirst().dropLast()
                #expect(progress.map { $0.data["done"] as? Int } == [1, 2, 3])
                #expect(progress.allSatisfy { $0.data["total"] as? Int == 3 })
                let summary = try #require(events.last?.data)
                #expect(summary["type"] as? String == "complete")
                #expect(summary["count"] as? Int == 3)
                #expect(summary["scanDate"] as? String == "2026-02-22")
                #expect((summary["data"] as? [[String: Any]])?.count == 3)
                let scanID = try #require(summary["scanId"] as? String)

                // The scan is now a stored resource; following it again gives its end.
                let scan = try await client.execute(
                    uri: "/api/v1/scans/\(scanID)", method: .get, headers: app.headers(.viewer))
                #expect(scan.json["state"] as? String == "finished")
                #expect(scan.json["failed"] as? Int == 3)
                var headers = app.headers(.viewer)
                headers[FieldName("Last-Event-ID")!] = "2"
                let resumed = try await client.execute(
                    uri: "/api/v1/scans/\(scanID)/events", method: .get, headers: headers)
                let tail = SSE.events(resumed.text)
                #expect(tail.map(\.id) == [4])
                #expect(tail.first?.data["failedCount"] as? Int == 3)
                let list = try await client.execute(
                    uri: "/api/v1/scans?mode=ddrive", method: .get, headers: app.headers(.viewer))
                #expect((list.json["data"] as? [[String: Any]])?.first?["id"] as? String == scanID)
            }
        }
    }

    @Test func followingARunningScanReplaysAndResumes() async throws {
        try await TestApp.with { app in
            // A tarpit-free slow outlet is not available without the fleet: a black-holed address would need
            // iptables. Instead, join the stream while the scan runs by starting it through POST /scans.
            try await Self.seed(app)
            try await app.test { client in
                let started = try await client.execute(
                    uri: "/api/v1/scans", method: .post, headers: app.headers(.operator, json: true),
                    body: .json(["mode": "ibstorage", "date": "2026-02-20"]))
                #expect(started.status == .accepted)
                let scan = try #require(started.json["scan"] as? [String: Any])
                let id = try #require(scan["id"] as? String)
                #expect(started.json["events"] as? String == "/api/v1/scans/\(id)/events")
                var headers = app.headers(.viewer)
                headers[FieldName("Last-Event-ID")!] = "1"
                let response = try await client.execute(
                    uri: "/api/v1/scans/\(id)/events", method: .get, headers: headers)
                let events = SSE.events(response.text)
                // Whether it was still running (replayed, resumed after id 1) or already stored, the end is there.
                #expect(events.last?.data["type"] as? String == "complete")
                #expect(events.allSatisfy { ($0.id ?? 0) > 1 })
            }
        }
    }
}
