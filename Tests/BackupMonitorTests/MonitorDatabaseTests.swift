import BackupMonitorTesting
import Foundation
import SQLKit
import Testing

@testable import BackupMonitor

@Suite("Storage: database and migrations")
struct MonitorDatabaseTests {
    @Test(arguments: DatabaseFlavor.available)
    func migratesOnceAndIsReachable(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            #expect(database.kind.rawValue == flavor.rawValue)
            #expect(await database.isReachable())
            let migrator = SchemaMigrator(database: database, logger: TestDatabase.logger)
            let versions = try await migrator.appliedVersions()
            #expect(versions == Set(SchemaMigrator.migrations.map(\.version)))
            // A second run (the next start) changes nothing and does not fail.
            try await migrator.migrate()
            #expect(try await migrator.appliedVersions() == versions)
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func transactionsRollBackOnError(_ flavor: DatabaseFlavor) async throws {
        struct Boom: Error {}
        try await TestDatabase.with(flavor) { database in
            await #expect(throws: Boom.self) {
                try await database.transaction { sql in
                    try await sql.raw(
                        """
                        INSERT INTO outlets (code, host, created_at, updated_at) VALUES ('OUT1', 'h', 0, 0)
                        """
                    ).run()
                    throw Boom()
                }
            }
            let count = try await database.withSQL { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM outlets").first()!.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test func databaseURLsAreParsedAndPasswordsHidden() throws {
        #expect(try DatabaseLocation(url: "sqlite:data/monitor.sqlite") == .sqlite(path: "data/monitor.sqlite"))
        #expect(try DatabaseLocation(url: "data/monitor.db") == .sqlite(path: "data/monitor.db"))
        let postgres = try DatabaseLocation(url: "postgres://monitor:s3cret@db:5432/monitor")
        #expect(postgres == .postgres(url: "postgres://monitor:s3cret@db:5432/monitor"))
        #expect(!postgres.description.contains("s3cret"))
        #expect(throws: DatabaseLocation.ParseError.self) { try DatabaseLocation(url: "mysql://x/y") }
        #expect(throws: DatabaseLocation.ParseError.self) { try DatabaseLocation(url: "postgres://hostonly") }
    }
}
