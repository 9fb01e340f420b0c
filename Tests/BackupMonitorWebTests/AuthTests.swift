import BackupMonitor
import BackupMonitorTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

@Suite("Sign-in, sessions, CSRF, tokens")
struct AuthTests {
    static func login(_ client: any TestClientProtocol, _ username: String, _ password: String = TestApp.password)
        async throws -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/auth/login", method: .post, headers: [.contentType: "application/json"],
            body: .json(["username": username, "password": password]))
    }

    /// `bm_session=…; bm_csrf=…` from a login answer, and its CSRF token.
    static func cookies(_ response: TestResponse) -> (cookie: String, csrf: String) {
        let setCookies = response.headers[values: .setCookie]
        let pairs = setCookies.map { String($0.split(separator: ";")[0]) }
        return (pairs.joined(separator: "; "), response.json["csrfToken"] as? String ?? "")
    }

    @Test(arguments: DatabaseFlavor.available)
    func sessionCookieIsHttpOnlyLaxAndWritesNeedTheCSRFToken(_ flavor: DatabaseFlavor) async throws {
        try await TestApp.with(flavor) { app in
            try await app.test { client in
                let response = try await Self.login(client, "admin-user")
                #expect(response.status == .ok)
                let session = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("bm_session=") })
                #expect(session.contains("HttpOnly"))
                #expect(session.contains("SameSite=Lax"))
                #expect(!session.contains("Secure"))
                #expect(!response.text.contains(TestApp.password))
                let (cookie, csrf) = Self.cookies(response)
                #expect(csrf.count >= 40)

                let me = try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: [.cookie: cookie])
                #expect(me.status == .ok)
                #expect(me.json["role"] as? String == "admin")

                let outlet = ByteBuffer.json(["code": "OUTLET900", "host": "127.0.0.9"])
                let noToken = try await client.execute(
                    uri: "/api/v1/outlets", method: .post,
                    headers: [.cookie: cookie, .contentType: "application/json"], body: outlet)
                #expect(noToken.status == .forbidden)
                #expect(noToken.json["parameter"] as? String == "X-CSRF-Token")
                var headers: HTTPFields = [.cookie: cookie, .contentType: "application/json"]
                headers[FieldName("X-CSRF-Token")!] = "wrong"
                let wrong = try await client.execute(
                    uri: "/api/v1/outlets", method: .post, headers: headers, body: outlet)
                #expect(wrong.status == .forbidden)
                headers[FieldName("X-CSRF-Token")!] = csrf
                let created = try await client.execute(
                    uri: "/api/v1/outlets", method: .post, headers: headers, body: outlet)
                #expect(created.status == .created)

                let logout = try await client.execute(uri: "/api/v1/auth/logout", method: .post, headers: headers)
                #expect(logout.status == .ok)
                let after = try await client.execute(uri: "/api/v1/auth/me", method: .get, headers: [.cookie: cookie])
                #expect(after.status == .unauthorized)
            }
            // The session is stored hashed, never as the cookie's text.
            let stored = try await app.database.withSQL { sql in
                try await sql.raw("SELECT token_hash FROM sessions").all().map {
                    try $0.decode(column: "token_hash", as: String.self)
                }
            }
            #expect(stored.allSatisfy { $0.count == 64 })
        }
    }

    @Test func secureCookieBehindHTTPS() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                var headers: HTTPFields = [.contentType: "application/json"]
                headers[FieldName("X-Forwarded-Proto")!] = "https"
                let response = try await client.execute(
                    uri: "/api/v1/auth/login", method: .post, headers: headers,
                    body: .json(["username": "viewer-user", "password": TestApp.password]))
                #expect(response.headers[values: .setCookie].allSatisfy { $0.contains("Secure") })
            }
        }
    }

    @Test func wrongPasswordsAreRateLimitedPerAddressAndUser() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                for _ in 0..<5 {
                    let response = try await Self.login(client, "operator-user", "wrong password!")
                    #expect(response.status == .unauthorized)
                }
                let limited = try await Self.login(client, "operator-user")
                #expect(limited.status == .tooManyRequests)
                #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
                // Another user from the same address is not locked out by this one's failures.
                #expect(try await Self.login(client, "viewer-user").status == .ok)
                // Unknown users get the same answer as wrong passwords.
                let unknown = try await Self.login(client, "nobody", "whatever12345")
                #expect(unknown.status == .unauthorized)
                #expect(unknown.json["error"] as? String == "wrong user name or password")
            }
        }
    }

    @Test func tokensAreShownOnceStoredHashedAndCappedByRole() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                let tooHigh = try await client.execute(
                    uri: "/api/v1/tokens", method: .post, headers: app.headers(.viewer, json: true),
                    body: .json(["name": "escalate", "role": "admin"]))
                #expect(tooHigh.status == .forbidden)
                let created = try await client.execute(
                    uri: "/api/v1/tokens", method: .post, headers: app.headers(.admin, json: true),
                    body: .json(["name": "cron", "role": "viewer", "expiresInDays": 30]))
                #expect(created.status == .created)
                let secret = try #require(created.json["token"] as? String)
                #expect(secret.hasPrefix("bmt_"))
                let id = try #require(created.json["id"] as? String)
                let list = try await client.execute(uri: "/api/v1/tokens", method: .get, headers: app.headers(.admin))
                #expect(!list.text.contains(secret))
                // The new token acts as viewer even though its user is admin.
                let auth: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
                #expect(try await client.execute(uri: "/api/v1/outlets", method: .get, headers: auth).status == .ok)
                let write = try await client.execute(
                    uri: "/api/v1/outlets", method: .post, headers: auth, body: .json(["code": "X1"]))
                #expect(write.status == .forbidden)
                // Another user cannot revoke it; its owner can, and then it stops working.
                let foreign = try await client.execute(
                    uri: "/api/v1/tokens/\(id)", method: .delete, headers: app.headers(.operator))
                #expect(foreign.status == .notFound)
                let revoked = try await client.execute(
                    uri: "/api/v1/tokens/\(id)", method: .delete, headers: app.headers(.admin))
                #expect(revoked.status == .ok)
                #expect(
                    try await client.execute(uri: "/api/v1/outlets", method: .get, headers: auth).status
                        == .unauthorized)
            }
        }
    }

    @Test func firstStartCreatesAnAdminOnce() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let configuration = try TestApp.configuration(database, extra: ["ADMIN_PASSWORD": "first-start-password"])
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database,
                source: SMBFolderSource(connectTimeout: .seconds(1), requestTimeout: .seconds(1)), logFile: nil,
                logger: TestApp.logger)
            let dependencies = try AppDependencies(
                configuration: configuration, database: database, coordinator: coordinator,
                passwordHasher: PasswordHasher(cost: 4), logger: TestApp.logger)
            #expect(try await prepareDatabase(dependencies) == nil)
            let admin = try #require(try await dependencies.users.user(username: "admin"))
            #expect(admin.role == .admin)
            #expect(try await dependencies.passwordHasher.verify("first-start-password", hash: admin.passwordHash))
            #expect(try await prepareDatabase(dependencies) == nil)
            #expect(try await dependencies.users.count() == 1)
        }
        try await TestDatabase.with(.sqlite) { database in
            let configuration = try TestApp.configuration(database)
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database,
                source: SMBFolderSource(connectTimeout: .seconds(1), requestTimeout: .seconds(1)), logFile: nil,
                logger: TestApp.logger)
            let dependencies = try AppDependencies(
                configuration: configuration, database: database, coordinator: coordinator,
                passwordHasher: PasswordHasher(cost: 4), logger: TestApp.logger)
            let generated = try #require(try await prepareDatabase(dependencies))
            #expect(generated.count >= 16)
            let admin = try #require(try await dependencies.users.user(username: "admin"))
            #expect(try await dependencies.passwordHasher.verify(generated, hash: admin.passwordHash))
        }
    }

    @Test func badSettingsNameTheirVariable() async throws {
        try await TestDatabase.with(.sqlite) { database in
            for (variable, value) in [("SESSION_HOURS", "0"), ("SECURE_COOKIES", "maybe"), ("ADMIN_PASSWORD", "short")]
            {
                let configuration = try TestApp.configuration(database, extra: [variable: value])
                #expect(throws: ConfigurationError.self) { try WebSettings(configuration: configuration) }
                do {
                    _ = try WebSettings(configuration: configuration)
                } catch let error as ConfigurationError {
                    #expect(error.variable == variable)
                }
            }
        }
    }

    @Test func corsAnswersOnlyConfiguredOrigins() async throws {
        try await TestApp.with(configuration: ["CORS_ORIGINS": "https://ops.example.com"]) { app in
            try await app.test { client in
                var headers: HTTPFields = [.origin: "https://ops.example.com", .accessControlRequestMethod: "POST"]
                let preflight = try await client.execute(uri: "/api/v1/outlets", method: .options, headers: headers)
                #expect(preflight.status == .noContent)
                #expect(preflight.headers[.accessControlAllowOrigin] == "https://ops.example.com")
                #expect(preflight.headers[.accessControlAllowCredentials] == "true")
                headers = [.origin: "https://evil.example.net"]
                let other = try await client.execute(uri: "/health", method: .get, headers: headers)
                #expect(other.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }
}
