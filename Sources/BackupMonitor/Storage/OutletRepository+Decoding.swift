import PostgresKit
import SQLKit
import SQLiteKit

extension OutletRepository {
    /// The outlets the select of `columns` from `outlets`, narrowed by `refine`, finds, read by
    /// position: decoding 1000 outlets by column name was a quarter of the servers page's time.
    func fetchOutlets(_ refine: @Sendable (SQLSelectBuilder) -> Void) async throws -> [Outlet] {
        try await database.withDriver { driver, sql in
            let query = sql.select().columns(Self.columns.map { SQLColumn($0) }).from("outlets")
            refine(query)
            return try await driver.rows(sql, query, sqlite: Self.outlet(sqlite:), postgres: Self.outlet(postgres:))
        }
    }

    private static func outlet(sqlite row: [SQLiteData]) throws -> Outlet {
        let values = try SQLiteValues(row, table: "outlets", columns: columns)
        return Outlet(
            code: try values.text(0), host: try values.text(1), port: Int(try values.integer(2)),
            name: try values.text(3), region: try values.text(4), enabled: try values.integer(5) != 0,
            shareOverride: try values.optionalText(6), folderOverride: try values.optionalText(7),
            lastIBStorageDrive: try values.optionalText(8))
    }

    private static func outlet(postgres cells: inout PostgresCells) throws -> Outlet {
        Outlet(
            code: try cells.next(String.self), host: try cells.next(String.self), port: try cells.next(Int.self),
            name: try cells.next(String.self), region: try cells.next(String.self),
            enabled: try cells.next(Bool.self), shareOverride: try cells.nextOptional(String.self),
            folderOverride: try cells.nextOptional(String.self),
            lastIBStorageDrive: try cells.nextOptional(String.self))
    }
}
