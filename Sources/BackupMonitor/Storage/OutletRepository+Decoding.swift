import PostgresKit
import SQLKit
import SQLiteKit

extension OutletRepository {
    /// The outlets the select of `columns` from `outlets`, narrowed by `refine`, finds; built
    /// by position as `RecordRepository.fetchRecords` builds records: decoding 1000 outlets by
    /// column name through `Decodable` was a quarter of the servers page's time.
    func fetchOutlets(_ refine: @Sendable (SQLSelectBuilder) -> Void) async throws -> [Outlet] {
        try await database.withDriver { driver, sql in
            let query = sql.select().columns(Self.columns.map { SQLColumn($0) }).from("outlets")
            refine(query)
            let (text, binds) = try MonitorDatabase.Driver.serialize(sql, query)
            var outlets: [Outlet] = []
            switch driver {
            case .sqlite(let connection):
                let rows = try await connection.query(text, binds.map(\.sqlite))
                outlets.reserveCapacity(rows.count)
                for row in rows { outlets.append(try Self.outlet(sqlite: row.columns.map(\.data))) }
            case .postgres(let connection, let logger):
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: text, binds: MonitorDatabase.Driver.postgresBindings(binds)),
                    logger: logger)
                for try await row in rows {
                    var cells = PostgresCells(row)
                    outlets.append(
                        Outlet(
                            code: try cells.next(String.self), host: try cells.next(String.self),
                            port: try cells.next(Int.self), name: try cells.next(String.self),
                            region: try cells.next(String.self), enabled: try cells.next(Bool.self),
                            shareOverride: try cells.nextOptional(String.self),
                            folderOverride: try cells.nextOptional(String.self),
                            lastIBStorageDrive: try cells.nextOptional(String.self)))
                }
            }
            return outlets
        }
    }

    private static func outlet(sqlite values: [SQLiteData]) throws -> Outlet {
        guard values.count == columns.count else {
            throw StorageCorruptionError(description: "an outlet row with \(values.count) columns")
        }
        func text(_ index: Int) throws -> String {
            guard case .text(let value) = values[index] else { throw unreadable(index, values[index]) }
            return value
        }
        func optionalText(_ index: Int) throws -> String? {
            if case .null = values[index] { return nil }
            return try text(index)
        }
        func integer(_ index: Int) throws -> Int {
            guard case .integer(let value) = values[index] else { throw unreadable(index, values[index]) }
            return value
        }
        return Outlet(
            code: try text(0), host: try text(1), port: try integer(2), name: try text(3), region: try text(4),
            enabled: try integer(5) != 0, shareOverride: try optionalText(6), folderOverride: try optionalText(7),
            lastIBStorageDrive: try optionalText(8))
    }

    private static func unreadable(_ index: Int, _ value: SQLiteData) -> StorageCorruptionError {
        StorageCorruptionError(description: "outlets.\(columns[index]) holds \(value)")
    }
}
