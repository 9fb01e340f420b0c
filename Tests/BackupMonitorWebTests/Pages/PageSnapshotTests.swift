import BackupMonitor
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// HTML snapshots of every page with fixed data and a fixed clock (SPEC §8): a change in the
/// markup shows up as a reviewable diff under `__Snapshots__`.
@Suite("Page snapshots")
struct PageSnapshotTests {
    /// Page, user, snapshot file.
    static let pages: [(uri: String, user: String, name: String)] = [
        ("/", "alice", "dashboard.html"),
        ("/?mode=ibstorage", "carol", "dashboard-ibstorage-viewer.html"),
        ("/?date=2026-11-19", "bob", "dashboard-past-day.html"),
        ("/backups", "bob", "backups.html"),
        ("/backups?status=failed&sort=-outlet", "bob", "backups-failed-by-outlet.html"),
        ("/backups?from=2026-11-18&to=2026-11-20&sort=size&page=2", "carol", "backups-range-page2-viewer.html"),
        ("/servers", "carol", "servers.html"),
        ("/servers?status=failed&region=South&q=outlet", "carol", "servers-filtered.html"),
        ("/servers/OUTLET003", "bob", "outlet.html"),
        ("/reports", "carol", "reports.html"),
        ("/reports?mode=ibstorage&status=failed&from=2026-11-01", "carol", "reports-ibstorage-failed.html"),
        ("/settings", "alice", "settings.html"),
        ("/settings/outlets/OUTLET004", "alice", "settings-edit-outlet.html"),
        ("/settings", "bob", "forbidden.html"),
        ("/servers/NOPE", "carol", "not-found.html"),
        ("/backups?date=2026-13-01", "carol", "bad-parameter.html"),
    ]

    @Test(arguments: pages.map(\.name))
    func page(_ name: String) async throws {
        let page = try #require(Self.pages.first { $0.name == name })
        try await PageFixture.with { fixture in
            let response = try await fixture.test { client in
                try await client.execute(uri: page.uri, method: .get, headers: .session(page.user))
            }
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.headers[FieldName("Content-Security-Policy")!]?.contains("script-src 'self'") == true)
            try Snapshot.assert(Self.normalized(String(buffer: response.body)), named: name)
        }
    }

    @Test func loginPage() async throws {
        try await PageFixture.with { fixture in
            let response = try await fixture.test { client in
                try await client.execute(uri: "/login?next=%2Fbackups%3Fstatus%3Dfailed", method: .get)
            }
            #expect(response.status == .ok)
            try Snapshot.assert(Self.normalized(String(buffer: response.body)), named: "login.html")
        }
    }

    /// Parts that are random by design: the login form token and the temporary database path.
    static func normalized(_ html: String) -> String {
        html.replacing(#/name="_login" value="[A-Za-z0-9_-]+"/#, with: #"name="_login" value="TOKEN""#)
            .replacing(#/bm-test-[0-9A-Fa-f-]+/#, with: "bm-test-DIR")
    }
}
