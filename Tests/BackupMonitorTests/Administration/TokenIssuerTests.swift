import BackupMonitorTesting
import Foundation
import Testing

@testable import BackupMonitor

@Suite("Token issuer: a token acts as its owner, never above")
struct TokenIssuerTests {
    static func owners(_ database: MonitorDatabase) async throws -> [UserRole: TokenIssuer.Owner] {
        var owners: [UserRole: TokenIssuer.Owner] = [:]
        for role in UserRole.allCases {
            let user = MonitorUser(username: "\(role.rawValue)-user", passwordHash: "x", role: role)
            try await UserRepository(database: database).create(user)
            owners[role] = TokenIssuer.Owner(user: user, role: role)
        }
        return owners
    }

    /// The API defaulted to the caller's role, the page to viewer: one default now.
    @Test(arguments: DatabaseFlavor.available)
    func theDefaultRoleIsTheOwnersAndAHigherOneIsRefused(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let issuer = TokenIssuer(database: database)
            let owners = try await Self.owners(database)
            let made = try await issuer.create(for: owners[.operator]!, name: "cron", role: nil, expiresInDays: nil)
            #expect(made.token.role == .operator && made.secret.hasPrefix(TokenIssuer.prefix))
            #expect(made.token.tokenHash == SecretToken.hash(made.secret))
            let higher = try await refusal {
                _ = try await issuer.create(for: owners[.operator]!, name: "x", role: .admin, expiresInDays: nil)
            }
            #expect(higher?.shape == "forbidden role")
            let lower = try await issuer.create(for: owners[.admin]!, name: "read", role: .viewer, expiresInDays: 7)
            #expect(lower.token.role == .viewer)
            #expect(abs(lower.token.expiresAt!.timeIntervalSince(lower.token.createdAt) - 7 * 86400) < 1)
        }
    }

    @Test(arguments: [("", "name"), ("a\u{1B}b", "name"), (String(repeating: "n", count: 101), "name")])
    func aBadNameIsRefused(_ name: String, field: String) async throws {
        try await TestDatabase.with(.sqlite) { database in
            let owners = try await Self.owners(database)
            let refused = try await refusal {
                _ = try await TokenIssuer(database: database).create(
                    for: owners[.viewer]!, name: name, role: nil, expiresInDays: nil)
            }
            #expect(refused?.shape == "invalid \(field)")
        }
    }

    @Test(arguments: [0, 3651, -1])
    func expiryOutsideOneToTenYearsIsRefused(_ days: Int) async throws {
        try await TestDatabase.with(.sqlite) { database in
            let owners = try await Self.owners(database)
            let refused = try await refusal {
                _ = try await TokenIssuer(database: database).create(
                    for: owners[.viewer]!, name: "t", role: nil, expiresInDays: days)
            }
            #expect(refused?.shape == "invalid expiresInDays")
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func othersTokensReadAsMissingExceptToAnAdmin(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let issuer = TokenIssuer(database: database)
            let owners = try await Self.owners(database)
            let viewers = try await issuer.create(for: owners[.viewer]!, name: "v", role: nil, expiresInDays: nil)
            _ = try await issuer.create(for: owners[.operator]!, name: "o", role: nil, expiresInDays: nil)
            #expect(try await issuer.list(for: owners[.operator]!).map(\.token.name) == ["o"])
            #expect(
                Set(try await issuer.list(for: owners[.admin]!).map(\.username)) == ["viewer-user", "operator-user"])
            let foreign = try await refusal { try await issuer.revoke(id: viewers.token.id, by: owners[.operator]!) }
            #expect(foreign?.shape == "notFound id")
            try await issuer.revoke(id: viewers.token.id, by: owners[.admin]!)
            #expect(try await issuer.list(for: owners[.viewer]!).isEmpty)
        }
    }
}
