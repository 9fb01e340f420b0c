import BackupMonitor
import SQLKit

/// The summary of a filtered range in three grouped queries, plus a short preview page.
struct ReportsQuery: Sendable {
    let dependencies: AppDependencies

    static let previewSize = 25

    func model(filter: RecordFilter) async throws -> ReportsModel {
        let days = try await dependencies.records.dailyCounts(matching: filter)
        let (reasons, outlets) = try await dependencies.database.withSQL { sql in
            let grouped = sql.select().column("error_kind").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("backup_records")
            Self.apply(filter, to: grouped)
            grouped.where("status", .equal, SQLBind(BackupStatus.failed.rawValue))
            let rows = try await grouped.groupBy("error_kind").all()
            let reasons = try rows.map { row -> (kind: FailureKind?, count: Int) in
                let kind = try row.decode(column: "error_kind", as: String?.self).flatMap(FailureKind.init(rawValue:))
                return (kind, try row.decode(column: "n", as: Int.self))
            }
            let distinct = sql.select().column(SQLFunction("COUNT", args: SQLRaw("DISTINCT outlet_code")), as: "n")
                .from("backup_records")
            Self.apply(filter, to: distinct)
            let outlets = try await distinct.first()?.decode(column: "n", as: Int.self) ?? 0
            return (reasons, outlets)
        }
        let preview = try await BackupsQuery.records(
            dependencies.database, filter: filter, sort: .standard, limit: Self.previewSize, offset: 0)
        return ReportsModel(
            filter: filter, total: days.map(\.total).reduce(0, +), successful: days.map(\.successful).reduce(0, +),
            outlets: outlets,
            failuresByReason: reasons.sorted {
                $0.count != $1.count ? $0.count > $1.count : ($0.kind?.rawValue ?? "") < ($1.kind?.rawValue ?? "")
            },
            days: days, preview: preview)
    }

    static func apply(_ filter: RecordFilter, to query: SQLSelectBuilder) {
        query.where("mode", .equal, SQLBind(filter.mode.rawValue))
        if let code = filter.outletCode { query.where("outlet_code", .equal, SQLBind(code)) }
        if let from = filter.from { query.where("scan_date", .greaterThanOrEqual, SQLBind(from.description)) }
        if let to = filter.to { query.where("scan_date", .lessThanOrEqual, SQLBind(to.description)) }
        if let status = filter.status { query.where("status", .equal, SQLBind(status.rawValue)) }
        if let kind = filter.failureKind { query.where("error_kind", .equal, SQLBind(kind.rawValue)) }
    }
}
