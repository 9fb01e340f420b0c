import Foundation
import SQLKit

/// A per-outlet credential as stored: the login as typed (`DOMAIN\user`, `user@domain` or
/// `user`) and the password sealed by `SecretBox`.
public struct SealedCredential: Sendable, Hashable {
    public var outletCode: String
    public var mode: ScanMode
    public var login: String
    public var passwordSealed: String
}

/// `outlet_credentials`: one row per outlet and mode that overrides the configured account.
public struct CredentialRepository: Sendable {
    public let database: MonitorDatabase

    public init(database: MonitorDatabase) {
        self.database = database
    }

    public func all(mode: ScanMode? = nil) async throws -> [SealedCredential] {
        try await database.withSQL { sql in
            let query = sql.select().columns("outlet_code", "mode", "login", "password_sealed")
                .from("outlet_credentials")
            if let mode { query.where("mode", .equal, SQLBind(mode.rawValue)) }
            return try await query.orderBy("outlet_code").orderBy("mode").all().compactMap(Self.decode)
        }
    }

    public func credentials(of code: String) async throws -> [SealedCredential] {
        try await database.withSQL { sql in
            try await sql.select().columns("outlet_code", "mode", "login", "password_sealed")
                .from("outlet_credentials").where("outlet_code", .equal, SQLBind(code)).orderBy("mode").all()
                .compactMap(Self.decode)
        }
    }

    /// Sets, replaces (`credential`) or removes (nil) the override of one outlet and mode.
    public func set(_ credential: SealedCredential?, code: String, mode: ScanMode) async throws {
        try await database.transaction { sql in
            try await Self.set(credential, code: code, mode: mode, sql)
        }
    }

    static func set(_ credential: SealedCredential?, code: String, mode: ScanMode, _ sql: any SQLDatabase)
        async throws
    {
        try await sql.delete(from: "outlet_credentials").where("outlet_code", .equal, SQLBind(code))
            .where("mode", .equal, SQLBind(mode.rawValue)).run()
        guard let credential else { return }
        try await sql.insert(into: "outlet_credentials")
            .columns("outlet_code", "mode", "login", "password_sealed", "updated_at")
            .values(
                SQLBind(code), SQLBind(mode.rawValue), SQLBind(credential.login), SQLBind(credential.passwordSealed),
                SQLBind(Date.nowMilliseconds)
            )
            .run()
    }

    /// Replaces every sealed password in one transaction (a key rotation): all or nothing.
    public func reseal(_ credentials: [SealedCredential]) async throws {
        try await database.transaction(exclusive: true) { sql in
            for credential in credentials {
                try await sql.update("outlet_credentials").set(
                    "password_sealed", to: SQLBind(credential.passwordSealed)
                )
                .where("outlet_code", .equal, SQLBind(credential.outletCode))
                .where("mode", .equal, SQLBind(credential.mode.rawValue)).run()
            }
        }
    }

    private static func decode(_ row: any SQLRow) throws -> SealedCredential? {
        guard let mode = ScanMode(rawValue: try row.decode(column: "mode", as: String.self)) else { return nil }
        return SealedCredential(
            outletCode: try row.decode(column: "outlet_code", as: String.self), mode: mode,
            login: try row.decode(column: "login", as: String.self),
            passwordSealed: try row.decode(column: "password_sealed", as: String.self))
    }
}
