import Foundation
import SQLKit

/// Users of the web UI and API (SPEC §11).
public struct UserRepository: Sendable {
    public let database: MonitorDatabase

    public init(database: MonitorDatabase) {
        self.database = database
    }

    private static let columns = ["id", "username", "password_hash", "role", "created_at", "updated_at"]

    public func all() async throws -> [MonitorUser] {
        try await database.withSQL { sql in
            try await sql.select().columns(Self.columns.map { SQLColumn($0) }).from("users").orderBy("username")
                .all().map(Self.user(from:))
        }
    }

    public func count() async throws -> Int {
        try await database.withSQL { sql in
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
    }

    public func user(username: String) async throws -> MonitorUser? {
        try await find("username", username)
    }

    public func user(id: String) async throws -> MonitorUser? {
        try await find("id", id)
    }

    /// Throws `DuplicateUserError` when the name is taken.
    public func create(_ user: MonitorUser) async throws {
        try await database.transaction { sql in
            let taken = try await sql.select().column("id").from("users")
                .where("username", .equal, SQLBind(user.username)).first()
            guard taken == nil else { throw DuplicateUserError(username: user.username) }
            try await sql.insert(into: "users").columns(Self.columns)
                .values(
                    SQLBind(user.id), SQLBind(user.username), SQLBind(user.passwordHash), SQLBind(user.role.rawValue),
                    SQLBind(user.createdAt.unixMilliseconds), SQLBind(user.updatedAt.unixMilliseconds)
                ).run()
        }
    }

    /// Changes the password hash and signs the user out everywhere; false when there is no such user.
    @discardableResult
    public func setPasswordHash(_ hash: String, forUserID id: String) async throws -> Bool {
        try await locked { try await $0.setPasswordHash(hash, forUserID: id) }
    }

    /// How many admins there are.
    public func adminCount() async throws -> Int {
        try await database.withSQL { sql in try await Locked(sql: sql).adminCount() }
    }

    /// Runs `body` in one exclusive transaction (SQLite `BEGIN IMMEDIATE`, a PostgreSQL advisory
    /// lock): a rule read inside it (how many admins are left) still holds when its change commits,
    /// whichever process or instance makes another change at the same time.
    public func locked<Result: Sendable>(_ body: @Sendable (Locked) async throws -> Result) async throws -> Result {
        try await database.transaction(exclusive: true) { sql in try await body(Locked(sql: sql)) }
    }

    /// The users table inside a `locked` transaction.
    public struct Locked: Sendable {
        let sql: any SQLDatabase

        public func user(username: String) async throws -> MonitorUser? {
            try await UserRepository.find("username", username, sql)
        }

        public func adminCount() async throws -> Int {
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users")
                .where("role", .equal, SQLBind(UserRole.admin.rawValue)).first()?.decode(column: "n", as: Int.self) ?? 0
        }

        /// Changes the role; false when there is no such user.
        @discardableResult
        public func setRole(_ role: UserRole, forUserID id: String) async throws -> Bool {
            guard try await UserRepository.exists(id, sql) else { return false }
            try await sql.update("users").set("role", to: SQLBind(role.rawValue))
                .set("updated_at", to: SQLBind(Date.nowMilliseconds)).where("id", .equal, SQLBind(id)).run()
            return true
        }

        /// Changes the password hash and ends the user's sessions; false when there is no such user.
        @discardableResult
        public func setPasswordHash(_ hash: String, forUserID id: String) async throws -> Bool {
            guard try await UserRepository.exists(id, sql) else { return false }
            try await sql.update("users").set("password_hash", to: SQLBind(hash))
                .set("updated_at", to: SQLBind(Date.nowMilliseconds)).where("id", .equal, SQLBind(id)).run()
            try await sql.delete(from: "sessions").where("user_id", .equal, SQLBind(id)).run()
            return true
        }

        /// Deletes the user with their sessions and tokens; false when there was no such user.
        @discardableResult
        public func delete(id: String) async throws -> Bool {
            guard try await UserRepository.exists(id, sql) else { return false }
            // Explicit deletes as well as ON DELETE CASCADE: SQLite enforces foreign keys only when enabled.
            try await sql.delete(from: "sessions").where("user_id", .equal, SQLBind(id)).run()
            try await sql.delete(from: "api_tokens").where("user_id", .equal, SQLBind(id)).run()
            try await sql.delete(from: "users").where("id", .equal, SQLBind(id)).run()
            return true
        }
    }

    private func find(_ column: String, _ value: String) async throws -> MonitorUser? {
        try await database.withSQL { sql in try await Self.find(column, value, sql) }
    }

    fileprivate static func find(_ column: String, _ value: String, _ sql: any SQLDatabase) async throws
        -> MonitorUser?
    {
        try await sql.select().columns(Self.columns.map { SQLColumn($0) }).from("users")
            .where(SQLColumn(column), .equal, SQLBind(value)).first().map(Self.user(from:))
    }

    fileprivate static func exists(_ id: String, _ sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("users").where("id", .equal, SQLBind(id)).first() != nil
    }

    static func user(from row: any SQLRow) throws -> MonitorUser {
        let roleText = try row.decode(column: "role", as: String.self)
        guard let role = UserRole(rawValue: roleText) else {
            throw StorageCorruptionError(description: "users row with role \(roleText)")
        }
        return MonitorUser(
            id: try row.decode(column: "id", as: String.self),
            username: try row.decode(column: "username", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self), role: role,
            createdAt: Date(unixMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(unixMilliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }
}

/// A user name that is already taken.
public struct DuplicateUserError: Error, Sendable, CustomStringConvertible {
    public var username: String
    public var description: String { "a user named \(username) already exists" }
}
