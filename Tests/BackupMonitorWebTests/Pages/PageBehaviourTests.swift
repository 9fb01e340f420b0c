import BackupMonitor
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// What the pages do beyond their markup: sign-in, redirects, CSRF on forms, roles, escaping,
/// the forms of the settings page, and the streamed, formula-safe CSV export (SPEC §8, §11).
@Suite("Page behaviour")
struct PageBehaviourTests {
    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(
            string: fields.map { "\(SiteURL.component($0.0))=\(SiteURL.component($0.1))" }.joined(separator: "&"))
    }

    @Test func anonymousVisitorsAreSentToSignInAndComeBack() async throws {
        try await PageFixture.with { fixture in
            try await fixture.test { client in
                let home = try await client.execute(uri: "/", method: .get)
                #expect(home.status == .seeOther)
                #expect(home.headers[.location] == "/login")
                let deep = try await client.execute(uri: "/backups?status=failed", method: .get)
                #expect(deep.headers[.location] == "/login?next=%2Fbackups%3Fstatus%3Dfailed")
                let post = try await client.execute(uri: "/backups/resync", method: .post)
                #expect(post.status == .seeOther)
                // Assets and the sign-in page are open.
                #expect(try await client.execute(uri: "/assets/app.css", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/login", method: .get).status == .ok)
            }
        }
    }

    @Test func signInWithTheFormSetsASessionAndSignOutEndsIt() async throws {
        try await PageFixture.with { fixture in
            try await fixture.test { client in
                let page = try await client.execute(uri: "/login?next=%2Fservers", method: .get)
                let token = try #require(page.headers[.setCookie]?.firstMatch(of: #/bm_login=([^;]+)/#)?.1)
                let cookie: HTTPFields = [
                    .cookie: "bm_login=\(token)", .contentType: "application/x-www-form-urlencoded",
                ]

                let forged = try await client.execute(
                    uri: "/login", method: .post, headers: cookie,
                    body: Self.form([("_login", "other"), ("username", "alice"), ("password", TestApp.password)]))
                #expect(forged.status == .forbidden)
                #expect(!(forged.headers[.setCookie] ?? "").contains("bm_session="))

                let wrong = try await client.execute(
                    uri: "/login", method: .post, headers: cookie,
                    body: Self.form([("_login", String(token)), ("username", "alice"), ("password", "wrong password")]))
                #expect(wrong.status == .unauthorized)
                #expect(String(buffer: wrong.body).contains("Wrong user name or password."))

                let good = try await client.execute(
                    uri: "/login", method: .post, headers: cookie,
                    body: Self.form([
                        ("_login", String(token)), ("username", "alice"), ("password", TestApp.password),
                        ("next", "/servers"),
                    ]))
                #expect(good.status == .seeOther)
                #expect(good.headers[.location] == "/servers")
                let cookies = good.headers[values: .setCookie].compactMap { value -> String? in
                    value.firstMatch(of: #/^bm_session=([^;]+)/#).map { String($0.1) }
                }
                let session = try #require(cookies.first)
                let dashboard = try await client.execute(
                    uri: "/", method: .get, headers: [.cookie: "bm_session=\(session)"])
                #expect(dashboard.status == .ok)
                #expect(String(buffer: dashboard.body).contains("alice · admin"))

                // Another site's return address is ignored.
                let offsite = try await client.execute(
                    uri: "/login", method: .post, headers: cookie,
                    body: Self.form([
                        ("_login", String(token)), ("username", "bob"), ("password", TestApp.password),
                        ("next", "//evil.example/"),
                    ]))
                #expect(offsite.headers[.location] == "/")
            }
        }
    }

    @Test func failedSignInsAreRateLimited() async throws {
        try await PageFixture.with { fixture in
            try await fixture.test { client in
                let page = try await client.execute(uri: "/login", method: .get)
                let token = try #require(page.headers[.setCookie]?.firstMatch(of: #/bm_login=([^;]+)/#)?.1)
                let headers: HTTPFields = [
                    .cookie: "bm_login=\(token)", .contentType: "application/x-www-form-urlencoded",
                ]
                var statuses: [HTTPResponse.Status] = []
                for _ in 0..<6 {
                    let response = try await client.execute(
                        uri: "/login", method: .post, headers: headers,
                        body: Self.form([("_login", String(token)), ("username", "carol"), ("password", "nope nope")]))
                    statuses.append(response.status)
                }
                #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized })
                #expect(statuses.last == .tooManyRequests)
            }
        }
    }

    @Test func formPostsNeedTheSessionsCSRFField() async throws {
        try await PageFixture.with { fixture in
            try await fixture.test { client in
                let fields = [("username", "dave"), ("password", "long enough password"), ("role", "operator")]
                let without = try await client.execute(
                    uri: "/settings/users", method: .post, headers: .session("alice", form: true),
                    body: Self.form(fields))
                #expect(without.status == .forbidden)
                let wrong = try await client.execute(
                    uri: "/settings/users", method: .post, headers: .session("alice", form: true),
                    body: Self.form(fields + [("_csrf", "csrf-bob")]))
                #expect(wrong.status == .forbidden)
                #expect(try await fixture.dependencies.users.user(username: "dave") == nil)
                let with = try await client.execute(
                    uri: "/settings/users", method: .post, headers: .session("alice", form: true),
                    body: Self.form(fields + [("_csrf", PageFixture.csrf("alice"))]))
                #expect(with.status == .seeOther)
                #expect(with.headers[.location] == "/settings?done=user-added&subject=dave#users")
                #expect(try await fixture.dependencies.users.user(username: "dave")?.role == .operator)
            }
        }
    }

    @Test func rolesDecideWhatAPageOffers() async throws {
        try await PageFixture.with { fixture in
            try await fixture.test { client in
                let viewer = String(
                    buffer: try await client.execute(uri: "/", method: .get, headers: .session("carol")).body)
                #expect(!viewer.contains("id=\"scan-form\""))
                #expect(!viewer.contains("href=\"/settings\""))
                let backups = String(
                    buffer: try await client.execute(uri: "/backups", method: .get, headers: .session("carol")).body)
                #expect(!backups.contains("resync-form"))
                let operatorPage = String(
                    buffer: try await client.execute(uri: "/", method: .get, headers: .session("bob")).body)
                #expect(operatorPage.contains("id=\"scan-form\""))
                let scan = try await client.execute(
                    uri: "/scan", method: .post, headers: .session("carol", form: true),
                    body: Self.form([("_csrf", PageFixture.csrf("carol")), ("mode", "ddrive")]))
                #expect(scan.status == .forbidden)
            }
        }
    }

    @Test func valuesFromTheDatabaseAreEscaped() async throws {
        try await PageFixture.with { fixture in
            try await fixture.test { client in
                let html = String(
                    buffer: try await client.execute(uri: "/servers", method: .get, headers: .session("carol")).body)
                #expect(html.contains("Mall &lt;Central&gt; &amp; &quot;Co&quot;"))
                #expect(!html.contains("<Central>"))
            }
        }
    }

    @Test func settingsFormsChangeOutletsAndReportCSVProblemsByLine() async throws {
        try await PageFixture.with { fixture in
            try await fixture.test { client in
                let csrf = ("_csrf", PageFixture.csrf("alice"))
                let disable = try await client.execute(
                    uri: "/settings/outlets/OUTLET001/enabled", method: .post, headers: .session("alice", form: true),
                    body: Self.form([csrf, ("enabled", "false")]))
                #expect(disable.status == .seeOther)
                #expect(try await fixture.dependencies.outlets.outlet(code: "OUTLET001")?.enabled == false)

                let add = try await client.execute(
                    uri: "/settings/outlets", method: .post, headers: .session("alice", form: true),
                    body: Self.form([
                        csrf, ("code", "OUTLET100"), ("host", "10.1.0.100"), ("region", "West"), ("enabled", "true"),
                    ]))
                #expect(add.status == .seeOther)
                #expect(try await fixture.dependencies.outlets.outlet(code: "OUTLET100")?.region == "West")
                let duplicate = try await client.execute(
                    uri: "/settings/outlets", method: .post, headers: .session("alice", form: true),
                    body: Self.form([csrf, ("code", "OUTLET100")]))
                #expect(duplicate.status == .conflict)

                let bad = "code,host,port\nOUTLET200,10.2.0.1,445\nOUTLET201,10.2.0.2,99999\n"
                let refused = try await client.execute(
                    uri: "/settings/outlets/import", method: .post, headers: .session("alice", form: true),
                    body: Self.form([csrf, ("csv", bad)]))
                #expect(refused.status == .badRequest)
                let page = String(buffer: refused.body)
                #expect(page.contains("line 3:"))
                #expect(page.contains("OUTLET201,10.2.0.2,99999"))
                #expect(try await fixture.dependencies.outlets.outlet(code: "OUTLET200") == nil)

                let good = "code,host,region\nOUTLET200,10.2.0.1,West\nOUTLET201,10.2.0.2,West\n"
                let imported = try await client.execute(
                    uri: "/settings/outlets/import", method: .post, headers: .session("alice", form: true),
                    body: Self.form([csrf, ("csv", good)]))
                #expect(imported.headers[.location] == "/settings?done=imported&subject=2#import")
                #expect(try await fixture.dependencies.outlets.outlet(code: "OUTLET201") != nil)
            }
        }
    }

    @Test func tokensAreShownOnceAndTheLastAdminStays() async throws {
        try await PageFixture.with { fixture in
            try await fixture.test { client in
                let csrf = ("_csrf", PageFixture.csrf("alice"))
                let created = try await client.execute(
                    uri: "/settings/tokens", method: .post, headers: .session("alice", form: true),
                    body: Self.form([csrf, ("name", "grafana"), ("role", "viewer"), ("days", "30")]))
                #expect(created.status == .ok)
                let secret = try #require(
                    String(buffer: created.body).firstMatch(of: #/id="new-token">(bmt_[^<]+)</#)?.1)
                let me = try await client.execute(
                    uri: "/api/v1/auth/me", method: .get, headers: [.authorization: "Bearer \(secret)"])
                #expect(me.status == .ok)
                let later = String(
                    buffer: try await client.execute(uri: "/settings", method: .get, headers: .session("alice")).body)
                #expect(later.contains("grafana"))
                #expect(!later.contains(String(secret)))
                // Secrets of the configuration stay masked: passwords, webhook URLs.
                #expect(!later.contains(PageFixture.webhookSecret))
                #expect(!later.contains("<code>secret</code>"))
                #expect(later.contains("<code>PASS</code></th><td><code>*****</code>"))

                let demote = try await client.execute(
                    uri: "/settings/users/alice/role", method: .post, headers: .session("alice", form: true),
                    body: Self.form([csrf, ("role", "viewer")]))
                #expect(demote.status == .conflict)
                #expect(try await fixture.dependencies.users.user(username: "alice")?.role == .admin)
            }
        }
    }

    @Test func csvExportStreamsEveryRowAndDefusesFormulas() async throws {
        try await PageFixture.with { fixture in
            try await fixture.test { client in
                let response = try await client.execute(
                    uri: "/reports/export.csv?from=2026-11-18&to=2026-11-20", method: .get, headers: .session("carol"))
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(
                    response.headers[.contentDisposition]?.contains("backups-ddrive-from-2026-11-18-to-2026-11-20.csv")
                        == true)
                let lines = String(buffer: response.body).split(separator: "\r\n")
                #expect(lines.first == Substring(ReportCSV.header.joined(separator: ",")))
                #expect(lines.count == 1 + 14)
                let unreachable = try #require(lines.first { $0.hasPrefix("OUTLET004,2026-11-20") })
                #expect(unreachable.contains(#""'=HYPERLINK(""http://evil"") connection refused by 10.0.0.4:1445""#))
            }
        }
        #expect(ReportCSV.cell("=1+1") == "'=1+1")
        #expect(ReportCSV.cell("+31 6") == "'+31 6")
        #expect(ReportCSV.cell("-2") == "'-2")
        #expect(ReportCSV.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(ReportCSV.cell("\tx") == "'\tx")
        #expect(ReportCSV.cell("a,b") == "\"a,b\"")
        #expect(ReportCSV.cell("plain") == "plain")
    }

    @Test func theCSVExportCoversMoreThanOneBatch() async throws {
        try await PageFixture.with { fixture in
            let many = (1...(ReportCSV.batchSize + 7)).map { index in
                BackupRecord(
                    mode: .ibstorage, outletCode: String(format: "BULK%05d", index),
                    scanDate: CalendarDay("2026-11-10")!,
                    status: .success, duration: .milliseconds(1), scannedAt: PageFixture.now)
            }
            try await fixture.dependencies.records.save(many)
            let body = try await fixture.test { client in
                String(
                    buffer: try await client.execute(
                        uri: "/reports/export.csv?mode=ibstorage&from=2026-11-10&to=2026-11-10", method: .get,
                        headers: .session("carol")
                    ).body)
            }
            let codes = body.split(separator: "\r\n").dropFirst().map {
                $0.split(separator: ",").first.map(String.init) ?? ""
            }
            #expect(codes == many.map(\.outletCode))
        }
    }
}
