import BackupMonitor
import BackupMonitorTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import BackupMonitorWeb

/// A monitor app on a fresh database, with one user and one API token per role.
struct TestApp {
    static let logger = Logger(label: "test.web")
    static let password = "correct horse battery"

    let dependencies: AppDependencies
    /// Bearer tokens by role.
    let tokens: [UserRole: String]

    var database: MonitorDatabase { dependencies.database }

    /// Settings for tests: D-Drive and IBSTORAGE credentials set (scans can run), short timeouts.
    static func configuration(_ database: MonitorDatabase, extra: [String: String] = [:]) throws
        -> MonitorConfiguration
    {
        var values = [
            "USER": "monitor", "PASS": "secret", "TZ": "UTC", "DATABASE_URL": database.location.urlText,
            "SMB_CONNECT_TIMEOUT": "1", "SMB_REQUEST_TIMEOUT": "2", "OUTLET_TIMEOUT": "4",
            // A key of the test's own: per-outlet passwords never make a key file in the work tree.
            "SECRET_KEY": String(repeating: "0f", count: 32),
            "LOG_DIR": FileManager.default.temporaryDirectory.appendingPathComponent("bm-web-test-logs").path,
        ]
        values.merge(extra) { _, new in new }
        return try MonitorConfiguration(values: values)
    }

    static func with<R: Sendable>(
        _ flavor: DatabaseFlavor = .sqlite, configuration extra: [String: String] = [:],
        configure: (MonitorDatabase) throws -> MonitorConfiguration? = { _ in nil },
        _ body: (TestApp) async throws -> R
    ) async throws -> R {
        try await TestDatabase.with(flavor) { database in
            let configuration = try configure(database) ?? Self.configuration(database, extra: extra)
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database,
                logFile: nil, logger: logger)
            let dependencies = try AppDependencies(
                configuration: configuration, database: database, coordinator: coordinator,
                passwordHasher: PasswordHasher(cost: 4), keepAliveInterval: .seconds(1), logger: logger)
            var tokens: [UserRole: String] = [:]
            for role in UserRole.allCases {
                let user = MonitorUser(
                    username: role.rawValue + "-user",
                    passwordHash: try await dependencies.passwordHasher.hash(password), role: role)
                try await dependencies.users.create(user)
                let secret = SecretToken.generate(prefix: TokenIssuer.prefix)
                try await dependencies.tokens.insert(
                    ApiToken(userID: user.id, name: "test", role: role, tokenHash: SecretToken.hash(secret)))
                tokens[role] = secret
            }
            let app = TestApp(dependencies: dependencies, tokens: tokens)
            let result = try await body(app)
            await coordinator.cancelAll()
            return result
        }
    }

    /// Runs `test` against the router (no sockets).
    func test<R: Sendable>(_ test: @Sendable (any TestClientProtocol) async throws -> R) async throws -> R {
        let application = Application(router: buildRouter(dependencies), logger: Self.logger)
        return try await application.test(.router, test)
    }

    func headers(_ role: UserRole?, json: Bool = false) -> HTTPFields {
        var headers: HTTPFields = [:]
        if let role, let token = tokens[role] { headers[.authorization] = "Bearer \(token)" }
        if json { headers[.contentType] = "application/json" }
        return headers
    }
}

extension TestResponse {
    /// The body as a JSON object (fails the test when it is not one).
    var json: [String: Any] {
        let data = Data(buffer: body)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            Issue.record("not a JSON object: \(String(decoding: data, as: UTF8.self).prefix(300))")
            return [:]
        }
        return object
    }

    var text: String { String(buffer: body) }
}

extension ByteBuffer {
    static func json(_ object: Any) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }
}

/// Parses a text/event-stream body into (place in the scan, scan id, JSON) events; an event id
/// is `<scan id>:<n>`.
enum SSE {
    static func events(_ text: String) -> [(id: Int?, scanID: String?, data: [String: Any])] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var id: Int?
            var scanID: String?
            var data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") {
                    let parts = line.dropFirst(4).split(separator: ":")
                    id = parts.last.flatMap { Int($0) }
                    scanID = parts.count == 2 ? String(parts[0]) : nil
                }
                if line.hasPrefix("data: ") { data += line.dropFirst(6) }
            }
            guard !data.isEmpty,
                let object = (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any]
            else { return nil }
            return (id, scanID, object)
        }
    }
}

extension TestApp {
    /// The monitor's settings for scanning the simulated fleet in a test. These tests are about
    /// results, not speed: a modest concurrency and patient replies keep a loaded 2-core machine
    /// (debug build, one smbd) from turning slow logons into timeouts.
    static func fleetConfiguration(_ manifest: FleetManifest) -> (MonitorDatabase) throws -> MonitorConfiguration? {
        { database in
            var values = manifest.environment(database: database.location, logDirectory: "/tmp/bm-web-test-logs")
            values["SCAN_CONCURRENCY"] = "32"
            values["SMB_REQUEST_TIMEOUT"] = "10"
            values["OUTLET_TIMEOUT"] = "30"
            return try MonitorConfiguration(values: values)
        }
    }
}
