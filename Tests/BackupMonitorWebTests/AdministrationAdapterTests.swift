import BackupMonitor
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// Each front-end reaches the same use case: the rules that used to differ between the API and
/// the Settings page now answer alike (the rules themselves are tested in BackupMonitorTests).
@Suite("Administration adapters: the API and the pages share one rule")
struct AdministrationAdapterTests {
    @Test func anAdminCannotDeleteThemselfThroughTheAPI() async throws {
        try await TestApp.with { app in
            _ = try await app.dependencies.userAdministration.add(
                username: "second.admin", password: "a long password", role: .admin)
            try await app.test { client in
                let own = try await client.execute(
                    uri: "/api/v1/users/admin-user", method: .delete, headers: app.headers(.admin))
                #expect(own.status == .conflict)
                #expect(own.json["parameter"] as? String == "username")
                #expect((own.json["error"] as? String)?.contains("cannot delete yourself") == true)
                #expect(try await app.dependencies.users.user(username: "admin-user") != nil)
            }
        }
    }

    @Test func aPageAdminCannotDeleteThemselfEither() async throws {
        try await PageFixture.with { fixture in
            _ = try await fixture.dependencies.userAdministration.add(
                username: "dave", password: "a long password", role: .admin)
            try await fixture.test { client in
                let own = try await client.execute(
                    uri: "/settings/users/alice/delete", method: .post, headers: .session("alice", form: true),
                    body: PageBehaviourTests.form([("_csrf", PageFixture.csrf("alice"))]))
                #expect(own.status == .conflict)
                #expect(String(buffer: own.body).contains("You cannot delete yourself; another admin can."))
                #expect(try await fixture.dependencies.users.user(username: "alice") != nil)
            }
        }
    }

    /// A token asked for without a role acts with its owner's role, from the API and the page alike.
    @Test func aTokenWithoutARoleTakesItsOwnersRole() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                let made = try await client.execute(
                    uri: "/api/v1/tokens", method: .post, headers: app.headers(.operator, json: true),
                    body: .json(["name": "cron"]))
                #expect(made.status == .created)
                #expect(made.json["role"] as? String == "operator")
                let higher = try await client.execute(
                    uri: "/api/v1/tokens", method: .post, headers: app.headers(.operator, json: true),
                    body: .json(["name": "x", "role": "admin"]))
                #expect(higher.status == .forbidden)
                #expect(higher.json["parameter"] as? String == "role")
            }
        }
    }

    @Test func theAPIsCSVImportNamesTheLineOfAControlCharacter() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                var headers = app.headers(.admin)
                headers[.contentType] = "text/csv"
                let refused = try await client.execute(
                    uri: "/api/v1/outlets/import", method: .post, headers: headers,
                    body: ByteBuffer(string: "code,name\nOUT1,ok\nOUT2,bad\u{1B}[2J\n"))
                #expect(refused.status == .badRequest)
                #expect(refused.json["problems"] as? [String] == ["line 3: name: control characters are not allowed"])
                #expect(try await app.dependencies.outlets.all().isEmpty)
            }
        }
    }
}
