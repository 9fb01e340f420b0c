import Foundation
import Logging
import SQLKit

/// One versioned schema change (SPEC §10). Statements are plain SQL that SQLite and
/// PostgreSQL both accept, so the schema has one definition; times are stored as Unix
/// milliseconds (BIGINT) and days as `YYYY-MM-DD` text, which both order correctly.
struct SchemaMigration: Sendable {
    var version: Int
    var name: String
    var statements: [String]
    /// Run after `statements`, for what the two dialects spell differently (triggers).
    var sqliteStatements: [String] = []
    var postgresStatements: [String] = []

    func statements(for kind: MonitorDatabase.Kind) -> [String] {
        statements + (kind == .sqlite ? sqliteStatements : postgresStatements)
    }
}

/// Applies pending migrations in order, each in its own exclusive transaction, and records
/// them in `schema_migrations`. Safe to run at every start and from two processes at once:
/// the second waits for the first and then finds the version applied.
struct SchemaMigrator {
    let database: MonitorDatabase
    let logger: Logger

    static let migrations: [SchemaMigration] = [
        SchemaMigration(
            version: 1,
            name: "outlets, backup records, scans",
            statements: [
                """
                CREATE TABLE outlets (
                    code TEXT PRIMARY KEY,
                    host TEXT NOT NULL,
                    port INTEGER NOT NULL DEFAULT 445,
                    name TEXT NOT NULL DEFAULT '',
                    region TEXT NOT NULL DEFAULT '',
                    enabled BOOLEAN NOT NULL DEFAULT TRUE,
                    share_override TEXT,
                    folder_override TEXT,
                    username_override TEXT,
                    password_override_sealed TEXT,
                    last_ib_drive TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE backup_records (
                    mode TEXT NOT NULL,
                    outlet_code TEXT NOT NULL,
                    scan_date TEXT NOT NULL,
                    status TEXT NOT NULL,
                    last_backup_at BIGINT,
                    file_name TEXT,
                    file_size BIGINT,
                    duration_ms BIGINT NOT NULL,
                    error_kind TEXT,
                    error_details TEXT,
                    drive_letter TEXT,
                    advanced BOOLEAN NOT NULL DEFAULT FALSE,
                    scan_id TEXT,
                    scanned_at BIGINT NOT NULL,
                    PRIMARY KEY (mode, outlet_code, scan_date)
                )
                """,
                "CREATE INDEX backup_records_by_day ON backup_records (mode, scan_date, status)",
                "CREATE INDEX backup_records_by_outlet ON backup_records (outlet_code, mode, scan_date)",
                """
                CREATE TABLE scans (
                    id TEXT PRIMARY KEY,
                    mode TEXT NOT NULL,
                    scan_date TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    triggered_by TEXT NOT NULL,
                    state TEXT NOT NULL,
                    total INTEGER NOT NULL,
                    succeeded INTEGER NOT NULL DEFAULT 0,
                    failed INTEGER NOT NULL DEFAULT 0,
                    advanced INTEGER NOT NULL DEFAULT 0,
                    started_at BIGINT NOT NULL,
                    finished_at BIGINT
                )
                """,
                "CREATE INDEX scans_by_start ON scans (mode, started_at)",
            ]
        ),
        SchemaMigration(
            version: 2,
            name: "users, sessions, API tokens",
            statements: [
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    role TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX sessions_by_user ON sessions (user_id)",
                """
                CREATE TABLE api_tokens (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    token_hash TEXT NOT NULL UNIQUE,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT,
                    last_used_at BIGINT
                )
                """,
                "CREATE INDEX api_tokens_by_user ON api_tokens (user_id)",
            ]
        ),
        SchemaMigration(
            version: 3,
            name: "scheduled runs, notification deliveries",
            statements: [
                // One row per scheduled attempt (a slot such as 07:30, or retry-N): its primary key
                // is what keeps a restarted server from running a slot twice.
                """
                CREATE TABLE scheduled_runs (
                    mode TEXT NOT NULL,
                    scan_date TEXT NOT NULL,
                    slot TEXT NOT NULL,
                    state TEXT NOT NULL,
                    scan_id TEXT,
                    detail TEXT,
                    targets INTEGER,
                    succeeded INTEGER,
                    failed INTEGER,
                    started_at BIGINT NOT NULL,
                    finished_at BIGINT,
                    PRIMARY KEY (mode, scan_date, slot)
                )
                """,
                """
                CREATE TABLE notification_deliveries (
                    id TEXT PRIMARY KEY,
                    created_at BIGINT NOT NULL,
                    target TEXT NOT NULL,
                    format TEXT NOT NULL,
                    event TEXT NOT NULL,
                    scan_id TEXT,
                    status TEXT NOT NULL,
                    http_status INTEGER,
                    attempts INTEGER NOT NULL,
                    error TEXT
                )
                """,
                "CREATE INDEX notification_deliveries_by_time ON notification_deliveries (created_at)",
            ]
        ),
        SchemaMigration(
            version: 4,
            name: "record indexes for failure filters and keyset export",
            statements: [
                // Failed records of a range (counts, reasons, the failed-only table) without reading
                // the ~95 % that succeeded: measured with two years of history (Benchmarks/web).
                "CREATE INDEX backup_records_by_status ON backup_records (mode, status, scan_date, error_kind)",
                // The CSV export walks a range in (day, outlet) order with keyset paging.
                "CREATE INDEX backup_records_by_day_outlet ON backup_records (mode, scan_date, outlet_code)",
            ]
        ),
        SchemaMigration(
            version: 5,
            name: "record counts per day, status and reason, kept by triggers",
            statements: [
                // Counting a year of records (the records API's total, the daily summary, the
                // reports page) read 365 000 index entries per 1000 outlets, 40 ms or more; these
                // counts are kept in the same transaction as every write by the triggers below, so
                // they are never stale. error_kind is '' for successes (a key column cannot be NULL).
                """
                CREATE TABLE record_counts (
                    mode TEXT NOT NULL,
                    scan_date TEXT NOT NULL,
                    status TEXT NOT NULL,
                    error_kind TEXT NOT NULL,
                    n BIGINT NOT NULL,
                    PRIMARY KEY (mode, scan_date, status, error_kind)
                )
                """,
                """
                INSERT INTO record_counts (mode, scan_date, status, error_kind, n)
                SELECT mode, scan_date, status, COALESCE(error_kind, ''), COUNT(*) FROM backup_records
                GROUP BY mode, scan_date, status, COALESCE(error_kind, '')
                """,
            ],
            sqliteStatements: [
                """
                CREATE TRIGGER backup_records_count_insert AFTER INSERT ON backup_records BEGIN
                    INSERT INTO record_counts (mode, scan_date, status, error_kind, n)
                    VALUES (NEW.mode, NEW.scan_date, NEW.status, COALESCE(NEW.error_kind, ''), 1)
                    ON CONFLICT (mode, scan_date, status, error_kind) DO UPDATE SET n = n + 1;
                END
                """,
                """
                CREATE TRIGGER backup_records_count_delete AFTER DELETE ON backup_records BEGIN
                    UPDATE record_counts SET n = n - 1
                    WHERE mode = OLD.mode AND scan_date = OLD.scan_date AND status = OLD.status
                        AND error_kind = COALESCE(OLD.error_kind, '');
                END
                """,
                """
                CREATE TRIGGER backup_records_count_update
                AFTER UPDATE OF mode, scan_date, status, error_kind ON backup_records BEGIN
                    UPDATE record_counts SET n = n - 1
                    WHERE mode = OLD.mode AND scan_date = OLD.scan_date AND status = OLD.status
                        AND error_kind = COALESCE(OLD.error_kind, '');
                    INSERT INTO record_counts (mode, scan_date, status, error_kind, n)
                    VALUES (NEW.mode, NEW.scan_date, NEW.status, COALESCE(NEW.error_kind, ''), 1)
                    ON CONFLICT (mode, scan_date, status, error_kind) DO UPDATE SET n = n + 1;
                END
                """,
            ],
            postgresStatements: [
                """
                CREATE FUNCTION backup_records_count() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('DELETE', 'UPDATE') THEN
                        UPDATE record_counts SET n = n - 1
                        WHERE mode = OLD.mode AND scan_date = OLD.scan_date AND status = OLD.status
                            AND error_kind = COALESCE(OLD.error_kind, '');
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        INSERT INTO record_counts (mode, scan_date, status, error_kind, n)
                        VALUES (NEW.mode, NEW.scan_date, NEW.status, COALESCE(NEW.error_kind, ''), 1)
                        ON CONFLICT (mode, scan_date, status, error_kind) DO UPDATE SET n = record_counts.n + 1;
                    END IF;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER backup_records_count
                AFTER INSERT OR DELETE OR UPDATE OF mode, scan_date, status, error_kind ON backup_records
                FOR EACH ROW EXECUTE FUNCTION backup_records_count()
                """,
            ]
        ),
        .recordSpans,
        .legacyImport, .outletCredentials, .scanPasses, .failedRechecks,
    ]

    func migrate() async throws {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """
            ).run()
        }
        let applied = try await appliedVersions()
        let kind = database.kind
        for migration in Self.migrations where !applied.contains(migration.version) {
            logger.info(
                "applying schema migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            try await database.transaction(exclusive: true) { sql in
                let done = try await sql.select().column("version").from("schema_migrations")
                    .where("version", .equal, SQLBind(migration.version)).first()
                guard done == nil else { return }
                try await sql.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(Date.nowMilliseconds))
                    .run()
                for statement in migration.statements(for: kind) {
                    try await sql.raw("\(unsafeRaw: statement)").run()
                }
            }
        }
    }

    func appliedVersions() async throws -> Set<Int> {
        try await database.withSQL { sql in
            let rows = try await sql.select().column("version").from("schema_migrations").all()
            return Set(try rows.map { try $0.decode(column: "version", as: Int.self) })
        }
    }
}

extension Date {
    /// Now as Unix milliseconds, the storage format of every timestamp.
    static var nowMilliseconds: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }

    /// Cut to the millisecond, never rounded up (SPEC §4: 23:59:59.9996 is still that day). The
    /// nudge of a tenth of a microsecond absorbs the binary error of a time made from whole
    /// milliseconds (x.123 read back as x.12299999), which must keep its millisecond.
    var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000 + 0.0001).rounded(.down)) }
}
