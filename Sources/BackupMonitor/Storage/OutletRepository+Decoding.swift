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
        var cells = try SQLiteValues(row, table: "outlets", columns: columns)
        return try OutletColumns.outlet(from: &cells)
    }

    private static func outlet(postgres cells: inout PostgresCells) throws -> Outlet {
        try OutletColumns.outlet(from: &cells)
    }
}
