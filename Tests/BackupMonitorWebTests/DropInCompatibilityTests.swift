import BackupMonitor
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// What a client written from the original README relies on (SPEC §7): the status words, the
/// whole envelope on every response of the table, EventSource reconnects that never start a
/// scan, and 400s that say what is expected.
@Suite("Drop-in compatibility with the original API")
struct DropInCompatibilityTests {
    static let envelope = [
        "status", "data", "count", "advancedDate", "advancedDateCount", "processingTime", "timestamp",
    ]

    @Test func recordsSaySuccessfulOrFailedAndEveryWordFilters() async throws {
        try await TestApp.with { app in
            try await OriginalAPITests.seed(app)
            try await app.test { client in
                let all = try await client.execute(
                    uri: "/api/v1/backup-stats", method: .get, headers: app.headers(.viewer))
                let words = Set((all.json["data"] as? [[String: Any]] ?? []).compactMap { $0["Status"] as? String })
                #expect(words == ["Successful", "Failed"])
                for (word, expected) in [
                    ("Successful", "Successful"), ("Success", "Successful"), ("success", "Successful"),
                    ("Failed", "Failed"), ("failed", "Failed"),
                ] {
                    let filtered = try await client.execute(
                        uri: "/api/v1/backup-stats?status=\(word)", method: .get, headers: app.headers(.viewer))
                    #expect(filtered.status == .ok, "\(word)")
                    let statuses = (filtered.json["data"] as? [[String: Any]] ?? []).compactMap {
                        $0["Status"] as? String
                    }
                    #expect(!statuses.isEmpty && statuses.allSatisfy { $0 == expected }, "\(word): \(statuses)")
                }
                let bad = try await client.execute(
                    uri: "/api/v1/backup-stats?status=Succeeded", method: .get, headers: app.headers(.viewer))
                #expect(bad.status == .badRequest)
                #expect(bad.json["parameter"] as? String == "status")
            }
        }
    }

    @Test(arguments: [
        "/api/v1/backup-stats", "/api/v1/ibstorage-stats", "/api/v1/backup-stats/daily-summary",
        "/api/v1/ibstorage-stats/daily-summary", "/api/v1/outlets",
    ])
    func everyResponseCarriesTheWholeEnvelope(_ path: String) async throws {
        try await TestApp.with { app in
            try await OriginalAPITests.seed(app)
            try await app.test { client in
                let response = try await client.execute(uri: path, method: .get, headers: app.headers(.viewer))
                #expect(response.status == .ok)
                let json = response.json
                for key in Self.envelope { #expect(json.keys.contains(key), "\(path) lacks \(key)") }
                #expect(json["advancedDate"] is [Any])
                #expect(json["processingTime"] is Double || json["processingTime"] is Int)
                #expect((json["timestamp"] as? String)?.hasSuffix("+00:00") == true)
            }
        }
    }

    @Test func theDailySummaryValidatesAndHonoursLimit() async throws {
        try await TestApp.with { app in
            try await OriginalAPITests.seed(app)
            try await app.test { client in
                for bad in ["abc", "-5", "0", "3661"] {
                    let response = try await client.execute(
                        uri: "/api/v1/backup-stats/daily-summary?limit=\(bad)", method: .get,
                        headers: app.headers(.viewer))
                    #expect(response.status == .badRequest, "limit=\(bad)")
                    #expect(response.json["parameter"] as? String == "limit")
                }
                // Two days of records (2026-02-20 and 21): limit 1 keeps the newest.
                let range = "date_from=2026-02-01&date_to=2026-02-21"
                let both = try await client.execute(
                    uri: "/api/v1/backup-stats/daily-summary?\(range)", method: .get, headers: app.headers(.viewer))
                #expect(
                    (both.json["data"] as? [[String: Any]])?.compactMap { $0["date"] as? String } == [
                        "2026-02-20", "2026-02-21",
                    ])
                let newest = try await client.execute(
                    uri: "/api/v1/backup-stats/daily-summary?\(range)&limit=1", method: .get,
                    headers: app.headers(.viewer))
                #expect(
                    (newest.json["data"] as? [[String: Any]])?.compactMap { $0["date"] as? String } == ["2026-02-21"])
            }
        }
    }

    @Test func aBareArrayToSyncIsToldTheShapeExpected() async throws {
        try await TestApp.with { app in
            try await OriginalAPITests.seed(app)
            try await app.test { client in
                let response = try await client.execute(
                    uri: "/api/v1/backup-status/sync", method: .post, headers: app.headers(.operator, json: true),
                    body: ByteBuffer(string: #"["OUTLET001"]"#))
                #expect(response.status == .badRequest)
                #expect(response.json["parameter"] as? String == "body")
                #expect(
                    (response.json["error"] as? String)?.contains(#"{"outlets":["OUTLET001","OUTLET005"]}"#) == true)
            }
        }
    }

    /// A browser's EventSource reconnects by itself when a stream ends, with `Last-Event-ID`:
    /// that must resume or end the scan it followed, never start a new full scan.
    @Test func aReconnectingEventSourceNeverStartsAScan() async throws {
        try await TestApp.with { app in
            try await OriginalAPITests.seed(app)
            try await app.test { client in
                let first = try await client.execute(
                    uri: "/api/v1/backup-status/scan?scan_date=2026-02-22", method: .get,
                    headers: app.headers(.operator))
                let events = SSE.events(first.text)
                let scanID = try #require(events.first?.data["scanId"] as? String)
                #expect(events.allSatisfy { $0.scanID == scanID })
                #expect(events.map(\.id) == [0, 1, 2, 3, 4])
                let scansBefore = try await app.dependencies.scans.page(mode: nil, limit: 100, offset: 0).count

                func reconnect(_ lastEventID: String) async throws -> TestResponse {
                    var headers = app.headers(.operator)
                    headers[FieldName("Last-Event-ID")!] = lastEventID
                    return try await client.execute(
                        uri: "/api/v1/backup-status/scan?scan_date=2026-02-22", method: .get, headers: headers)
                }
                // After the final event: 204, the standard way to stop an EventSource.
                #expect(try await reconnect("\(scanID):4").status == .noContent)
                // Part-way: the end of that scan is replayed once.
                let replay = try await reconnect("\(scanID):2")
                #expect(replay.status == .ok)
                let tail = SSE.events(replay.text)
                #expect(tail.map(\.id) == [4])
                #expect(tail.first?.data["type"] as? String == "complete")
                #expect(tail.first?.scanID == scanID)
                // An older client's bare number with nothing running, and an unknown scan: 204.
                #expect(try await reconnect("1001").status == .noContent)
                #expect(try await reconnect("\(UUID().uuidString.lowercased()):3").status == .noContent)
                #expect(try await reconnect("not-an-id").status == .badRequest)
                // None of this started a scan.
                #expect(try await app.dependencies.scans.page(mode: nil, limit: 100, offset: 0).count == scansBefore)
                // The scan's own events URL ends the same way.
                var headers = app.headers(.viewer)
                headers[FieldName("Last-Event-ID")!] = "\(scanID):4"
                let followed = try await client.execute(
                    uri: "/api/v1/scans/\(scanID)/events", method: .get, headers: headers)
                #expect(followed.status == .noContent)
            }
        }
    }
}
