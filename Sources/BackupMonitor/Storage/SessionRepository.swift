import Foundation
import SQLKit

/// A signed-in browser session, stored server-side (SPEC §11). The cookie holds a random token;
/// only its hash is stored, so a copy of the database does not let anyone sign in.
public struct StoredSession: Sendable, Hashable {
    public var tokenHash: String
    public var userID: String
    /// The anti-CSRF token that cookie-authenticated writes must echo in a header.
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, userID: String, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

public struct SessionRepository: Sendable {
    public let database: MonitorDatabase

    public init(database: MonitorDatabase) {
        self.database = database
    }

    public func insert(_ session: StoredSession) async throws {
        try await database.withSQL { sql in
            try await sql.insert(into: "sessions")
                .columns("token_hash", "user_id", "csrf_token", "created_at", "expires_at")
                .values(
                    SQLBind(session.tokenHash), SQLBind(session.userID), SQLBind(session.csrfToken),
                    SQLBind(session.createdAt.unixMilliseconds), SQLBind(session.expiresAt.unixMilliseconds)
                ).run()
        }
    }

    /// The live session and its user for a token hash; nil when unknown or expired.
    public func session(tokenHash: String, now: Date = Date()) async throws -> (StoredSession, MonitorUser)? {
        try await database.withSQL { sql in
            let row = try await sql.select()
                .column(SQLColumn("token_hash", table: "sessions")).column(SQLColumn("user_id", table: "sessions"))
                .column(SQLColumn("csrf_token", table: "sessions"))
                .column(SQLColumn("created_at", table: "sessions"), as: "session_created_at")
                .column(SQLColumn("expires_at", table: "sessions"))
                .column(SQLColumn("id", table: "users")).column(SQLColumn("username", table: "users"))
                .column(SQLColumn("password_hash", table: "users")).column(SQLColumn("role", table: "users"))
                .column(SQLColumn("created_at", table: "users")).column(SQLColumn("updated_at", table: "users"))
                .from("sessions").join(
                    "users", on: SQLColumn("user_id", table: "sessions"), .equal, SQLColumn("id", table: "users")
                )
                .where(SQLColumn("token_hash", table: "sessions"), .equal, SQLBind(tokenHash))
                .where(SQLColumn("expires_at", table: "sessions"), .greaterThan, SQLBind(now.unixMilliseconds))
                .first()
            guard let row else { return nil }
            let session = StoredSession(
                tokenHash: try row.decode(column: "token_hash", as: String.self),
                userID: try row.decode(column: "user_id", as: String.self),
                csrfToken: try row.decode(column: "csrf_token", as: String.self),
                createdAt: Date(unixMilliseconds: try row.decode(column: "session_created_at", as: Int64.self)),
                expiresAt: Date(unixMilliseconds: try row.decode(column: "expires_at", as: Int64.self)))
            return (session, try UserRepository.user(from: row))
        }
    }

    public func delete(tokenHash: String) async throws {
        try await database.withSQL { sql in
            try await sql.delete(from: "sessions").where("token_hash", .equal, SQLBind(tokenHash)).run()
        }
    }

    /// Removes expired sessions; returns nothing because nobody needs the count.
    public func deleteExpired(now: Date = Date()) async throws {
        try await database.withSQL { sql in
            try await sql.delete(from: "sessions").where("expires_at", .lessThanOrEqual, SQLBind(now.unixMilliseconds))
                .run()
        }
    }
}
