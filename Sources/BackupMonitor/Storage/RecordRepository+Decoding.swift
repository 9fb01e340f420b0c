import Foundation
import PostgresKit
import SQLKit
import SQLiteKit

extension RecordRepository {
    /// Runs `query` (selecting `columns` in their order) and builds the records by position
    /// (`MonitorDatabase.Driver.rows`), parsing each distinct day's text once.
    static func fetchRecords(_ driver: MonitorDatabase.Driver, _ sql: any SQLDatabase, _ query: SQLSelectBuilder)
        async throws -> [BackupRecord]
    {
        var days = DayParser()
        return try await driver.rows(
            sql, query,
            sqlite: { row in
                var cells = try SQLiteValues(row, table: "backup_records", columns: columns)
                return try RecordColumns.record(from: &cells, days: &days)
            },
            postgres: { cells in try RecordColumns.record(from: &cells, days: &days) })
    }
}
