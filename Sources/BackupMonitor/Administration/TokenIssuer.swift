import Foundation

/// API tokens for scripts (SPEC §11): random, shown once at creation, stored as a SHA-256 hash.
/// Everyone manages their own; admins see and revoke everyone's. A token's role is at most its
/// owner's, and when none is asked for it is the owner's own role (a token acts as its owner).
public struct TokenIssuer: Sendable {
    /// Tokens start with this, so a leaked one is easy to recognise in a secret scanner.
    public static let prefix = "bmt_"
    public static let validDays = 1...3650

    public let tokens: ApiTokenRepository
    let users: UserRepository

    public init(database: MonitorDatabase) {
        tokens = ApiTokenRepository(database: database)
        users = UserRepository(database: database)
    }

    /// Who asks: the signed-in user and the role they act with now (a token's, if one signed in).
    public struct Owner: Sendable {
        public var user: MonitorUser
        public var role: UserRole

        public init(user: MonitorUser, role: UserRole) {
            self.user = user
            self.role = role
        }
    }

    /// A token just made; `secret` is shown this once and stored nowhere.
    public struct Issued: Sendable {
        public var token: ApiToken
        public var secret: String
    }

    /// A stored token with its owner's name.
    public struct Listed: Sendable {
        public var token: ApiToken
        public var username: String
    }

    public func create(
        for owner: Owner, name: String, role: UserRole?, expiresInDays: Int?, now: Date = Date()
    ) async throws -> Issued {
        if let problem = TextRule.problem(name, field: "name", maxLength: 100, allowEmpty: false) {
            throw UseCaseError.invalid(problem)
        }
        let role = role ?? owner.role
        guard role <= owner.role else {
            throw UseCaseError(
                .forbidden, "a token cannot have more than your own role (\(owner.role.rawValue))", field: "role")
        }
        var expiresAt: Date?
        if let days = expiresInDays {
            guard Self.validDays.contains(days) else {
                throw UseCaseError.invalid(
                    "expiresInDays must be from \(Self.validDays.lowerBound) to \(Self.validDays.upperBound)",
                    field: "expiresInDays")
            }
            expiresAt = now.addingTimeInterval(Double(days) * 86400)
        }
        let secret = SecretToken.generate(prefix: Self.prefix)
        let token = ApiToken(
            userID: owner.user.id, name: name, role: role, tokenHash: SecretToken.hash(secret), createdAt: now,
            expiresAt: expiresAt)
        try await tokens.insert(token)
        return Issued(token: token, secret: secret)
    }

    /// The owner's tokens, or everyone's for an admin; newest first.
    public func list(for owner: Owner) async throws -> [Listed] {
        let found = try await tokens.tokens(userID: owner.role == .admin ? nil : owner.user.id)
        let names = Dictionary(
            try await users.all().map { ($0.id, $0.username) }, uniquingKeysWith: { first, _ in first })
        return found.map { Listed(token: $0, username: names[$0.userID] ?? "?") }
    }

    /// Revokes a token of the owner's, or anyone's for an admin. Someone else's token reads as
    /// missing, so ids of other users' tokens are not confirmed.
    public func revoke(id: String, by owner: Owner) async throws {
        guard let token = try await tokens.token(id: id), token.userID == owner.user.id || owner.role == .admin,
            try await tokens.delete(id: id)
        else { throw UseCaseError.notFound("no token \(id)", field: "id") }
    }
}
