import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// The monitor's database: one code path for SQLite and PostgreSQL (SPEC §10).
///
/// Work runs inside `withSQL`, which lends one pooled connection for the whole closure, so a
/// closure can run a transaction. SQLite gets exactly one connection (on its own event loop):
/// SQLite serialises writers anyway, and one connection keeps transactions from interleaving.
public final class MonitorDatabase: Sendable {
    public enum Kind: String, Sendable {
        case sqlite
        case postgres
    }

    public let kind: Kind
    public let location: DatabaseLocation
    private let pool: Pool
    private let logger: Logger

    /// AsyncKit's pools guard their state with a lock and may be used from any thread, but
    /// predate Sendable annotations; hence the unchecked conformance.
    private enum Pool: @unchecked Sendable {
        case sqlite(EventLoopGroupConnectionPool<SQLiteConnectionSource>, MultiThreadedEventLoopGroup)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    /// Opens the pool and, unless told not to, runs pending migrations.
    public static func open(
        _ location: DatabaseLocation,
        maxPostgresConnections: Int = 8,
        migrate: Bool = true,
        logger: Logger
    ) async throws -> MonitorDatabase {
        let database: MonitorDatabase
        switch location {
        case .sqlite(let path):
            let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let source = SQLiteConnectionSource(
                configuration: .init(storage: .file(path: path), enableForeignKeys: true),
                threadPool: .singleton
            )
            let pool = EventLoopGroupConnectionPool(
                source: source, maxConnectionsPerEventLoop: 1, requestTimeout: .seconds(60), logger: logger, on: loop)
            database = MonitorDatabase(kind: .sqlite, location: location, pool: .sqlite(pool, loop), logger: logger)
            // WAL lets the CLI read while the server writes; busy_timeout makes a second process wait, not fail.
            try await database.withSQL { sql in
                try await sql.raw("PRAGMA journal_mode = WAL").run()
                try await sql.raw("PRAGMA synchronous = NORMAL").run()
                try await sql.raw("PRAGMA busy_timeout = 10000").run()
            }
        case .postgres(let url):
            let configuration = try SQLPostgresConfiguration(url: url)
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: max(1, maxPostgresConnections / System.coreCount),
                requestTimeout: .seconds(30),
                logger: logger,
                on: MultiThreadedEventLoopGroup.singleton
            )
            database = MonitorDatabase(kind: .postgres, location: location, pool: .postgres(pool), logger: logger)
        }
        guard migrate else { return database }
        do {
            try await SchemaMigrator(database: database, logger: logger).migrate()
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    private init(kind: Kind, location: DatabaseLocation, pool: Pool, logger: Logger) {
        self.kind = kind
        self.location = location
        self.pool = pool
        self.logger = logger
    }

    /// Runs `body` with one connection held for its whole duration.
    public func withSQL<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await withDriver { _, sql in try await body(sql) }
    }

    /// A pooled connection as its own driver's type, for reads where SQLKit's per-column
    /// decoding (a name lookup and a Decodable round trip per value) is the cost; see
    /// `Driver.rows`.
    enum Driver {
        case sqlite(SQLiteConnection)
        case postgres(PostgresConnection, Logger)
    }

    /// Runs `body` with one connection, both as its driver and as SQLKit (to build the query).
    func withDriver<Result: Sendable>(
        _ body: @Sendable (Driver, any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        switch pool {
        case .sqlite(let pool, _):
            let connection = try await pool.requestConnection(logger: logger).get()
            defer { pool.releaseConnection(connection, logger: logger) }
            return try await body(.sqlite(connection), connection.sql(queryLogLevel: .trace))
        case .postgres(let pool):
            let connection = try await pool.requestConnection(logger: logger).get()
            defer { pool.releaseConnection(connection, logger: logger) }
            return try await body(.postgres(connection, logger), connection.sql(queryLogLevel: .trace))
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// `exclusive` serialises the transaction against other processes from its first statement
    /// (SQLite `BEGIN IMMEDIATE`, a PostgreSQL advisory lock), for work such as migrations that
    /// must not run twice at once.
    ///
    /// On PostgreSQL a transaction chosen as a deadlock victim is run again (up to three times):
    /// two writers of the same day update the same per-day counters (migration 5's triggers),
    /// possibly in opposite orders, and a scan's batch must not be lost to that.
    public func transaction<Result: Sendable>(
        exclusive: Bool = false,
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await transactionOnce(exclusive: exclusive, body)
            } catch let error as PSQLError where attempt < 3 && Self.isRetryable(error) {
                attempt += 1
                logger.notice(
                    "transaction retried",
                    metadata: ["attempt": "\(attempt)", "sqlstate": "\(error.serverInfo?[.sqlState] ?? "")"])
            }
        }
    }

    /// deadlock_detected and serialization_failure: the transaction was rolled back as a whole
    /// and can simply run again.
    private static func isRetryable(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    private func transactionOnce<Result: Sendable>(
        exclusive: Bool,
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let kind = kind
        return try await withSQL { sql in
            switch (kind, exclusive) {
            case (.sqlite, true):
                try await sql.raw("BEGIN IMMEDIATE").run()
            case (.postgres, true):
                try await sql.raw("BEGIN").run()
                try await sql.raw("SELECT pg_advisory_xact_lock(\(unsafeRaw: String(Self.exclusiveLockKey)))").run()
            case (_, false):
                try await sql.raw("BEGIN").run()
            }
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// True when a trivial query succeeds (the health endpoint's database check).
    public func isReachable() async -> Bool {
        do {
            return try await withSQL { sql in
                try await sql.raw("SELECT 1 AS one").first()?.decode(column: "one", as: Int.self) == 1
            }
        } catch {
            return false
        }
    }

    /// The advisory lock id of exclusive transactions ("BKMON" in ASCII).
    private static let exclusiveLockKey = 0x424B_4D4F_4E

    public func close() async {
        switch pool {
        case .sqlite(let pool, let loop):
            try? await pool.shutdownAsync()
            try? await loop.shutdownGracefully()
        case .postgres(let pool):
            try? await pool.shutdownAsync()
        }
    }
}
