import BackupMonitor
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// Every registered route is documented, and every route refuses anonymous and under-privileged
/// callers (SPEC §11): the audit walks the router itself, so a new route cannot slip through.
@Suite("Route audit")
struct RouteAuditTests {
    /// The roles this test expects, written out independently of the endpoint table.
    static let anonymous: Set<String> = [
        "POST /api/v1/auth/login", "GET /health", "GET /metrics",
        "GET /login", "POST /login", "GET /assets/app.css", "GET /assets/app.js",
    ]
    static let operatorRoutes: Set<String> = [
        "GET /api/v1/backup-status/scan", "GET /api/v1/ibstorage-status/scan", "POST /api/v1/backup-status/sync",
        "POST /api/v1/ibstorage-status/sync", "POST /api/v1/scans", "POST /scan", "POST /backups/resync",
    ]
    static let adminPrefixes = ["/api/v1/users", "/settings"]

    /// The API and the operations endpoints are documented; the HTML pages are not API.
    static func isAPI(_ path: String) -> Bool {
        path.hasPrefix("/api/") || path == "/health" || path == "/metrics"
    }
    static let adminRoutes: Set<String> = [
        "POST /api/v1/outlets", "PUT /api/v1/outlets/{code}", "DELETE /api/v1/outlets/{code}",
        "POST /api/v1/outlets/import",
        "GET /api/v1/schedule", "GET /api/v1/notifications/deliveries", "POST /api/v1/notifications/test",
    ]

    static func expectedRole(_ route: String) -> UserRole? {
        if anonymous.contains(route) { return nil }
        if operatorRoutes.contains(route) { return .operator }
        if adminRoutes.contains(route) || adminPrefixes.contains(where: { route.contains(" \($0)") }) { return .admin }
        return .viewer
    }

    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: "{code}", with: "OUTLET001")
            .replacingOccurrences(of: "{id}", with: "00000000-0000-0000-0000-000000000001")
            .replacingOccurrences(of: "{username}", with: "nobody")
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() async throws {
        try await TestApp.with { app in
            let router = buildRouter(app.dependencies)
            let routes = Set(router.routes.filter { Self.isAPI($0.path.description) }.map { "\($0.method) \($0.path)" })
            #expect(routes.count >= 30)
            let response = try await app.test { client in
                try await client.execute(uri: OpenAPIEndpoint.path, method: .get, headers: app.headers(.viewer))
            }
            #expect(response.status == .ok)
            let document = response.json
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, item) in paths {
                for (method, operation) in item {
                    documented.insert("\(method.uppercased()) \(path)")
                    let operation = try #require(operation as? [String: Any])
                    #expect(operation["responses"] is [String: Any], "\(method) \(path) has no responses")
                    #expect(operation["operationId"] is String)
                }
            }
            #expect(
                routes == documented,
                "undocumented: \(routes.subtracting(documented)); unrouted: \(documented.subtracting(routes))")
            // The document's roles agree with this test's own table.
            for (path, item) in paths {
                for (method, operation) in item {
                    let route = "\(method.uppercased()) \(path)"
                    let role = (operation as? [String: Any])?["x-required-role"] as? String
                    #expect(role == (Self.expectedRole(route)?.rawValue ?? "anonymous"), "\(route)")
                }
            }
        }
    }

    @Test func anonymousAndUnderPrivilegedCallsAreRefused() async throws {
        try await TestApp.with { app in
            let routes = buildRouter(app.dependencies).routes.map { (method: $0.method, path: $0.path.description) }
            try await app.test { client in
                for route in routes {
                    let name = "\(route.method) \(route.path)"
                    let uri = Self.concrete(route.path)
                    guard let needed = Self.expectedRole(name) else {
                        // Open routes answer anonymous callers (login refuses the empty body with 4xx, not 401 for lack of a session).
                        let response = try await client.execute(uri: uri, method: route.method, headers: [:])
                        #expect(response.status != .unauthorized || route.method == .post, "\(name)")
                        #expect(response.status.code < 500, "\(name)")
                        continue
                    }
                    let anonymous = try await client.execute(uri: uri, method: route.method, headers: [:])
                    let forged = try await client.execute(
                        uri: uri, method: route.method, headers: [.authorization: "Bearer bmt_not-a-real-token"])
                    if Self.isAPI(route.path) {
                        #expect(anonymous.status == .unauthorized, "\(name) anonymous: \(anonymous.status)")
                        #expect(anonymous.json["status"] as? String == "error")
                        #expect(forged.status == .unauthorized, "\(name) forged token: \(forged.status)")
                    } else {
                        // Pages send a visitor without a session to the sign-in page.
                        for response in [anonymous, forged] {
                            #expect(response.status == .seeOther, "\(name) anonymous: \(response.status)")
                            #expect(response.headers[.location]?.hasPrefix("/login") == true, "\(name)")
                        }
                    }
                    for role in UserRole.allCases where role < needed {
                        let response = try await client.execute(
                            uri: uri, method: route.method, headers: app.headers(role, json: true),
                            body: .json([String: String]()))
                        #expect(response.status == .forbidden, "\(name) as \(role): \(response.status)")
                    }
                    // The role that is enough gets past the check (any answer but 401/403, never a 5xx).
                    if !name.hasSuffix("/scan") {
                        let allowed = try await client.execute(
                            uri: uri, method: route.method, headers: app.headers(needed, json: true),
                            body: .json([String: String]()))
                        #expect(
                            ![.unauthorized, .forbidden].contains(allowed.status),
                            "\(name) as \(needed): \(allowed.status)")
                        #expect(allowed.status.code < 500, "\(name) as \(needed): \(allowed.status) \(allowed.text)")
                    }
                }
            }
        }
    }
}
