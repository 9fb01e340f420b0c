import Foundation
import SQLKit

/// Outlets in the database (SPEC §2): CRUD, bulk import, and the IBSTORAGE drive memory.
public struct OutletRepository: Sendable {
    public let database: MonitorDatabase

    public init(database: MonitorDatabase) {
        self.database = database
    }

    static var columns: [String] { OutletColumns.names }

    public func all(enabledOnly: Bool = false) async throws -> [Outlet] {
        try await fetchOutlets { query in
            if enabledOnly { query.where("enabled", .equal, SQLBind(true)) }
            query.orderBy("code")
        }
    }

    /// The outlets with these codes, in the order given; throws naming the codes that do not exist.
    public func outlets(codes: [String]) async throws -> [Outlet] {
        guard !codes.isEmpty else { return [] }
        let found = try await fetchOutlets { $0.where("code", .in, SQLBind.group(codes)) }
        let byCode = Dictionary(found.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let unknown = codes.filter { byCode[$0] == nil }
        guard unknown.isEmpty else { throw UnknownOutletsError(codes: unknown) }
        return codes.map { byCode[$0]! }
    }

    public func outlet(code: String) async throws -> Outlet? {
        try await fetchOutlets { $0.where("code", .equal, SQLBind(code)).limit(1) }.first
    }

    /// Inserts or replaces outlets in one transaction: all of them or none.
    public func save(_ outlets: [Outlet]) async throws {
        try await database.transaction { sql in
            for outlet in outlets {
                try await Self.upsert(outlet, into: sql)
            }
        }
    }

    /// Returns false when there was no such outlet.
    @discardableResult
    public func delete(code: String) async throws -> Bool {
        try await database.withSQL { sql in
            let existed =
                try await sql.select().column("code").from("outlets").where("code", .equal, SQLBind(code))
                .first() != nil
            // Explicitly as well as ON DELETE CASCADE: SQLite enforces foreign keys only when enabled,
            // and a later outlet of the same code must not inherit these credentials.
            try await sql.delete(from: "outlet_credentials").where("outlet_code", .equal, SQLBind(code)).run()
            try await sql.delete(from: "outlets").where("code", .equal, SQLBind(code)).run()
            return existed
        }
    }

    /// Adds outlets not known yet, inside a caller's transaction (an import's new codes).
    static func insertMissing(_ outlets: [Outlet], into sql: any SQLDatabase) async throws {
        let now = Date.nowMilliseconds
        for outlet in outlets {
            try await sql.insert(into: "outlets").columns(Self.columns + ["created_at", "updated_at"])
                .values(OutletColumns.values(of: outlet).map { SQLBind($0) } + [SQLBind(now), SQLBind(now)])
                .ignoringConflicts(with: ["code"]).run()
        }
    }

    private static func upsert(_ outlet: Outlet, into sql: any SQLDatabase) async throws {
        let now = Date.nowMilliseconds
        let values: [any SQLExpression] =
            OutletColumns.values(of: outlet).map { SQLBind($0) } + [SQLBind(now), SQLBind(now)]
        try await sql.insert(into: "outlets")
            .columns(Self.columns + ["created_at", "updated_at"])
            .values(values)
            .onConflict(with: ["code"]) { update in
                for column in OutletColumns.replacedOnSave + ["updated_at"] { update.set(excludedValueOf: column) }
                return update
            }
            .run()
    }
}

/// Outlet codes that the database does not know, named so a caller can report them.
public struct UnknownOutletsError: Error, Sendable, CustomStringConvertible {
    public var codes: [String]
    public var description: String {
        "unknown outlet code\(codes.count == 1 ? "" : "s"): \(codes.joined(separator: ", "))"
    }
}
