import BackupMonitor
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// Every malformed parameter, body or header is a 400 (or 415) naming it; nothing is a 5xx.
@Suite("Bad input")
struct BadInputTests {
    static let badQueries: [(uri: String, parameter: String)] = [
        ("/api/v1/backup-stats?date_from=2026-13-01", "date_from"),
        ("/api/v1/backup-stats?date_from=2026-02-30", "date_from"),
        ("/api/v1/backup-stats?date_to=yesterday", "date_to"),
        ("/api/v1/backup-stats?date_from=2026-03-01&date_to=2026-02-01", "date_from"),
        ("/api/v1/backup-stats?scan_date=20260221", "scan_date"),
        ("/api/v1/backup-stats?scan_date=2026-02-21&date_from=2026-02-01", "scan_date"),
        ("/api/v1/backup-stats?status=maybe", "status"),
        ("/api/v1/backup-stats?limit=0", "limit"),
        ("/api/v1/backup-stats?limit=1001", "limit"),
        ("/api/v1/backup-stats?limit=ten", "limit"),
        ("/api/v1/backup-stats?limit=99999999999999999999999", "limit"),
        ("/api/v1/backup-stats?offset=-1", "offset"),
        ("/api/v1/backup-stats?page=0", "page"),
        ("/api/v1/backup-stats?page=2&offset=3", "page"),
        ("/api/v1/backup-stats?outlet=a%20b", "outlet"),
        ("/api/v1/backup-stats?outlet=", "outlet"),
        ("/api/v1/backup-stats?outlet=A&outlet=B", "outlet"),
        ("/api/v1/backup-stats?outlet=%00", "outlet"),
        ("/api/v1/ibstorage-stats?error_kind=gremlins", "error_kind"),
        ("/api/v1/ibstorage-stats/daily-summary?date_to=2026-02-29", "date_to"),
        ("/api/v1/backup-stats/daily-summary?date_from=1900-01-01&date_to=2026-01-01", "date_from"),
        ("/api/v1/scans?mode=cdrive", "mode"),
        ("/api/v1/scans/not-a-uuid", "id"),
        ("/api/v1/scans/not-a-uuid/events", "id"),
        ("/api/v1/outlets/bad%20code", "code"),
    ]

    @Test func malformedQueryParametersNameTheParameter() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                for (uri, parameter) in Self.badQueries {
                    let response = try await client.execute(uri: uri, method: .get, headers: app.headers(.admin))
                    #expect(response.status == .badRequest, "\(uri): \(response.status)")
                    #expect(response.json["status"] as? String == "error", "\(uri)")
                    #expect(response.json["parameter"] as? String == parameter, "\(uri): \(response.text)")
                }
                var headers = app.headers(.operator)
                headers[FieldName("Last-Event-ID")!] = "abc"
                let lastEvent = try await client.execute(
                    uri: "/api/v1/backup-status/scan", method: .get, headers: headers)
                #expect(lastEvent.json["parameter"] as? String == "Last-Event-ID")
                let future = try await client.execute(
                    uri: "/api/v1/backup-status/scan?scan_date=2999-01-01", method: .get,
                    headers: app.headers(.operator))
                #expect(future.json["parameter"] as? String == "scan_date")
            }
        }
    }

    static let badBodies: [(uri: String, method: HTTPRequest.Method, body: String, parameter: String)] = [
        ("/api/v1/backup-status/sync", .post, "{", "body"),
        ("/api/v1/backup-status/sync", .post, "", "body"),
        ("/api/v1/backup-status/sync", .post, "{}", "outlets"),
        ("/api/v1/backup-status/sync", .post, #"{"outlets":"OUTLET001"}"#, "outlets"),
        ("/api/v1/backup-status/sync", .post, #"{"outlets":[]}"#, "outlets"),
        ("/api/v1/backup-status/sync", .post, #"{"outlets":[1]}"#, "outlets[0]"),
        ("/api/v1/backup-status/sync", .post, #"{"outlets":["ok","bad code"]}"#, "outlets[1]"),
        ("/api/v1/scans", .post, #"{"mode":"cdrive"}"#, "mode"),
        ("/api/v1/scans", .post, #"{"mode":"ddrive","date":"2026-02-31"}"#, "date"),
        ("/api/v1/outlets", .post, #"{"host":"x"}"#, "code"),
        ("/api/v1/outlets", .post, #"{"code":"A1","port":70000}"#, "port"),
        ("/api/v1/outlets", .post, #"{"code":"A1","port":1e400}"#, "body"),
        ("/api/v1/outlets", .post, #"{"code":"A1","name":"a\u0000b"}"#, "name"),
        ("/api/v1/outlets", .post, #"{"code":"A1","host":"a b"}"#, "host"),
        ("/api/v1/outlets/A1", .put, #"{"code":"B2"}"#, "code"),
        ("/api/v1/users", .post, #"{"username":"x y","password":"long enough pass","role":"viewer"}"#, "username"),
        ("/api/v1/users", .post, #"{"username":"xy","password":"short","role":"viewer"}"#, "password"),
        ("/api/v1/users", .post, #"{"username":"xy","password":"long enough pass","role":"root"}"#, "role"),
        ("/api/v1/tokens", .post, #"{"name":""}"#, "name"),
        ("/api/v1/tokens", .post, #"{"name":"t","expiresInDays":0}"#, "expiresInDays"),
        ("/api/v1/auth/login", .post, #"{"username":"admin"}"#, "password"),
    ]

    @Test func malformedBodiesNameTheField() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                for (uri, method, body, parameter) in Self.badBodies {
                    let response = try await client.execute(
                        uri: uri, method: method, headers: app.headers(.admin, json: true),
                        body: ByteBuffer(string: body))
                    #expect(response.status == .badRequest, "\(method) \(uri) \(body): \(response.status)")
                    #expect(
                        response.json["parameter"] as? String == parameter, "\(method) \(uri) \(body): \(response.text)"
                    )
                }
                let wrongType = try await client.execute(
                    uri: "/api/v1/outlets", method: .post, headers: app.headers(.admin),
                    body: ByteBuffer(string: #"{"code":"A1"}"#))
                #expect(wrongType.status == .unsupportedMediaType)
                #expect(wrongType.json["parameter"] as? String == "Content-Type")
            }
        }
    }

    @Test func unknownRoutesAnswerJSON() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                let response = try await client.execute(
                    uri: "/api/v1/nothing-here", method: .get, headers: app.headers(.viewer))
                #expect(response.status == .notFound)
                #expect(response.json["status"] as? String == "error")
            }
        }
    }
}
