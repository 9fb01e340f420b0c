import BackupMonitor
import BackupMonitorTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// The original React frontend after sign-in (SPEC §13): Axios copies the cookie `XSRF-TOKEN`
/// into `X-XSRF-TOKEN` on writes, and follows scans with a credentialed EventSource, possibly
/// from another origin listed in `CORS_ORIGINS`. The browser test drives the same in Chromium.
@Suite("Old React frontend: Axios XSRF cookie, cross-origin streams")
struct AxiosFrontendTests {
    static let spaOrigin = "http://127.0.0.1:3000"

    static func setCookie(_ response: TestResponse, _ name: String) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix("\(name)=") }
    }

    /// The values of the cookies `response` sets, by name.
    static func values(_ response: TestResponse) -> [String: String] {
        var values: [String: String] = [:]
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            values[String(pair[0])] = pair.count == 2 ? String(pair[1]) : ""
        }
        return values
    }

    @Test(arguments: DatabaseFlavor.available)
    func signInSetsAReadableXSRFCookieThatWritesMayEchoInXXSRFToken(_ flavor: DatabaseFlavor) async throws {
        try await TestApp.with(flavor) { app in
            try await app.test { client in
                let login = try await AuthTests.login(client, "admin-user")
                let xsrf = try #require(Self.setCookie(login, "XSRF-TOKEN"))
                #expect(!xsrf.contains("HttpOnly"))
                #expect(xsrf.contains("Path=/"))
                #expect(xsrf.contains("SameSite=Lax"))
                let (cookie, csrf) = AuthTests.cookies(login)
                #expect(Self.values(login)["XSRF-TOKEN"] == csrf)

                let outlet = ByteBuffer.json(["code": "OUTLET901", "host": "127.0.0.9"])
                var headers: HTTPFields = [.cookie: cookie, .contentType: "application/json"]
                headers[FieldName("X-XSRF-TOKEN")!] = "not-the-token"
                let wrong = try await client.execute(
                    uri: "/api/v1/outlets", method: .post, headers: headers, body: outlet)
                #expect(wrong.status == .forbidden)
                headers[FieldName("X-XSRF-TOKEN")!] = csrf
                let created = try await client.execute(
                    uri: "/api/v1/outlets", method: .post, headers: headers, body: outlet)
                #expect(created.status == .created)

                // Sign-out clears the cookie and does not hand it back in the same answer.
                let logout = try await client.execute(uri: "/api/v1/auth/logout", method: .post, headers: headers)
                #expect(logout.status == .ok)
                let cleared = logout.headers[values: .setCookie].filter { $0.hasPrefix("XSRF-TOKEN=") }
                #expect(cleared.count == 1)
                #expect(cleared.first?.contains("Max-Age=0") == true)
            }
        }
    }

    @Test func formSignInSetsTheXSRFCookieToo() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                let form = try await client.execute(uri: "/login", method: .get)
                let loginCookie = try #require(Self.setCookie(form, PagesController.loginCookie))
                let pair = String(loginCookie.split(separator: ";")[0])
                let token = String(pair.dropFirst(PagesController.loginCookie.count + 1))
                let body = "username=operator-user&password=correct+horse+battery&_login=\(token)"
                let signedIn = try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.cookie: pair, .contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: body))
                #expect(signedIn.status == .seeOther || signedIn.status == .found)
                let cookies = Self.values(signedIn)
                #expect(cookies["XSRF-TOKEN"] != nil)
                #expect(cookies["XSRF-TOKEN"] == cookies["bm_csrf"])
            }
        }
    }

    /// A session from before this cookie existed (or a browser that dropped it) gets it back.
    @Test func aSessionWithoutTheCookieGetsItBackOnItsNextRequest() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                let login = try await AuthTests.login(client, "viewer-user")
                let (_, csrf) = AuthTests.cookies(login)
                let session = try #require(Self.setCookie(login, "bm_session")).split(separator: ";")[0]
                let bare = try await client.execute(
                    uri: "/api/v1/auth/me", method: .get, headers: [.cookie: String(session)])
                #expect(bare.status == .ok)
                #expect(Self.values(bare)["XSRF-TOKEN"] == csrf)
                let complete = try await client.execute(
                    uri: "/api/v1/auth/me", method: .get, headers: [.cookie: "\(session); XSRF-TOKEN=\(csrf)"])
                #expect(Self.setCookie(complete, "XSRF-TOKEN") == nil)
                // Bearer tokens have no cookies to restore.
                let token = try await client.execute(
                    uri: "/api/v1/auth/me", method: .get, headers: app.headers(.viewer))
                #expect(token.headers[values: .setCookie].isEmpty)
            }
        }
    }

    @Test func aCrossOriginSPAMayPreflightWritesAndStreamAScanWithItsCookie() async throws {
        try await TestApp.with(configuration: ["CORS_ORIGINS": Self.spaOrigin]) { app in
            try await OriginalAPITests.seed(app)
            try await app.test { client in
                let preflight = try await client.execute(
                    uri: "/api/v1/backup-status/sync", method: .options,
                    headers: [
                        .origin: Self.spaOrigin, .accessControlRequestMethod: "POST",
                        .accessControlRequestHeaders: "content-type,x-xsrf-token",
                    ])
                #expect(preflight.status == .noContent)
                let allowed = (preflight.headers[.accessControlAllowHeaders] ?? "").lowercased()
                #expect(allowed.contains("x-xsrf-token"))

                let login = try await AuthTests.login(client, "operator-user")
                let (cookie, _) = AuthTests.cookies(login)
                let stream = try await client.execute(
                    uri: "/api/v1/backup-status/scan?scan_date=2026-02-22", method: .get,
                    headers: [.cookie: cookie, .origin: Self.spaOrigin, .accept: "text/event-stream"])
                #expect(stream.status == .ok)
                #expect(stream.headers[.accessControlAllowOrigin] == Self.spaOrigin)
                #expect(stream.headers[.accessControlAllowCredentials] == "true")
                #expect(stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                let events = SSE.events(stream.text)
                #expect(events.last?.data["type"] as? String == "complete")
                #expect(events.last?.data["count"] as? Int == 3)
            }
        }
    }
}
