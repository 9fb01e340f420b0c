import Foundation
import SQLKit

/// An API token for scripts (SPEC §11): random, shown once, stored only as a hash. It acts for
/// its user with at most `role`, and never more than the user's current role.
public struct ApiToken: Sendable, Hashable {
    public var id: String
    public var userID: String
    public var name: String
    public var role: UserRole
    public var tokenHash: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?

    public init(
        id: String = UUID().uuidString.lowercased(), userID: String, name: String, role: UserRole, tokenHash: String,
        createdAt: Date = Date(), expiresAt: Date? = nil, lastUsedAt: Date? = nil
    ) {
        self.id = id
        self.userID = userID
        self.name = name
        self.role = role
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
    }
}

public struct ApiTokenRepository: Sendable {
    public let database: MonitorDatabase

    public init(database: MonitorDatabase) {
        self.database = database
    }

    private static let columns = [
        "id", "user_id", "name", "role", "token_hash", "created_at", "expires_at", "last_used_at",
    ]

    public func insert(_ token: ApiToken) async throws {
        try await database.withSQL { sql in
            try await sql.insert(into: "api_tokens").columns(Self.columns)
                .values(
                    SQLBind(token.id), SQLBind(token.userID), SQLBind(token.name), SQLBind(token.role.rawValue),
                    SQLBind(token.tokenHash), SQLBind(token.createdAt.unixMilliseconds),
                    SQLBind(token.expiresAt?.unixMilliseconds), SQLBind(token.lastUsedAt?.unixMilliseconds)
                ).run()
        }
    }

    /// Tokens of one user, or of everyone when `userID` is nil; newest first.
    public func tokens(userID: String?) async throws -> [ApiToken] {
        try await database.withSQL { sql in
            let query = sql.select().columns(Self.columns.map { SQLColumn($0) }).from("api_tokens")
            if let userID { query.where("user_id", .equal, SQLBind(userID)) }
            return try await query.orderBy("created_at", .descending).all().map(Self.token(from:))
        }
    }

    public func token(id: String) async throws -> ApiToken? {
        try await database.withSQL { sql in
            try await sql.select().columns(Self.columns.map { SQLColumn($0) }).from("api_tokens")
                .where("id", .equal, SQLBind(id)).first().map(Self.token(from:))
        }
    }

    /// The unexpired token with this hash and its user, marking it used.
    public func authenticate(tokenHash: String, now: Date = Date()) async throws -> (ApiToken, MonitorUser)? {
        try await database.withSQL { sql in
            guard
                let token = try await sql.select().columns(Self.columns.map { SQLColumn($0) }).from("api_tokens")
                    .where("token_hash", .equal, SQLBind(tokenHash)).first().map(Self.token(from:))
            else { return nil }
            if let expiresAt = token.expiresAt, expiresAt <= now { return nil }
            guard
                let user = try await sql.select().columns(
                    ["id", "username", "password_hash", "role", "created_at", "updated_at"].map { SQLColumn($0) }
                ).from("users").where("id", .equal, SQLBind(token.userID)).first().map(UserRepository.user(from:))
            else { return nil }
            try await sql.update("api_tokens").set("last_used_at", to: SQLBind(now.unixMilliseconds))
                .where("id", .equal, SQLBind(token.id)).run()
            return (token, user)
        }
    }

    /// False when there was no such token.
    @discardableResult
    public func delete(id: String) async throws -> Bool {
        try await database.withSQL { sql in
            let existed =
                try await sql.select().column("id").from("api_tokens").where("id", .equal, SQLBind(id))
                .first() != nil
            try await sql.delete(from: "api_tokens").where("id", .equal, SQLBind(id)).run()
            return existed
        }
    }

    static func token(from row: any SQLRow) throws -> ApiToken {
        let roleText = try row.decode(column: "role", as: String.self)
        guard let role = UserRole(rawValue: roleText) else {
            throw StorageCorruptionError(description: "api_tokens row with role \(roleText)")
        }
        return ApiToken(
            id: try row.decode(column: "id", as: String.self),
            userID: try row.decode(column: "user_id", as: String.self),
            name: try row.decode(column: "name", as: String.self), role: role,
            tokenHash: try row.decode(column: "token_hash", as: String.self),
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            expiresAt: try row.decode(column: "expires_at", as: Int64?.self).map(Date.init(unixMilliseconds:)),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self).map(Date.init(unixMilliseconds:)))
    }
}
