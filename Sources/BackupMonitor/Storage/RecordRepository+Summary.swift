import SQLKit

/// Failures counted by reason in a range (the reports page and the dashboard).
public struct FailureCount: Sendable, Hashable {
    public var kind: FailureKind?
    public var count: Int
}

extension RecordRepository {
    /// Failed records matching `filter`, counted by reason, most frequent first.
    public func failureCounts(matching filter: RecordFilter) async throws -> [FailureCount] {
        if filter.status == .success { return [] }
        var onlyFailed = filter
        onlyFailed.status = .failed
        let failed = onlyFailed
        return try await database.withSQL { sql in
            let query: SQLSelectBuilder
            if failed.outletCode == nil {
                query = sql.select().column("error_kind").column(Self.countSum, as: "n").from("record_counts")
                Self.applyToCounts(failed, query)
            } else {
                query = sql.select().column("error_kind").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                    .from("backup_records")
                Self.apply(failed, to: query)
            }
            let rows = try await query.groupBy("error_kind").all()
            let counts = try rows.compactMap { row -> FailureCount? in
                let count = try row.decode(column: "n", as: Int.self)
                guard count > 0 else { return nil }
                // record_counts writes a missing reason as ''.
                let kind = try row.decode(column: "error_kind", as: String?.self).flatMap(FailureKind.init(rawValue:))
                return FailureCount(kind: kind, count: count)
            }
            return counts.sorted {
                $0.count != $1.count ? $0.count > $1.count : ($0.kind?.rawValue ?? "") < ($1.kind?.rawValue ?? "")
            }
        }
    }

    /// How many distinct outlets have a record matching `filter`.
    ///
    /// `COUNT(DISTINCT outlet_code)` over a year reads and sorts 365 000 rows per 1000 outlets.
    /// Without a status filter this walks the primary key (mode, outlet_code, scan_date) instead:
    /// a recursive query jumps from one outlet code to the next, then one index probe per outlet
    /// asks whether it has a record in the range (a "loose index scan", in SQLite and PostgreSQL
    /// alike). Outlets deleted since still count, as they did.
    public func outletCount(matching filter: RecordFilter) async throws -> Int {
        try await database.withSQL { sql in
            guard filter.status == nil, filter.failureKind == nil, filter.outletCode == nil else {
                let query = sql.select().column(SQLFunction("COUNT", args: SQLRaw("DISTINCT outlet_code")), as: "n")
                    .from("backup_records")
                Self.apply(filter, to: query)
                return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
            }
            let mode = filter.mode.rawValue
            var range: [SQLQueryString] = []
            if let from = filter.from { range.append("AND r.scan_date >= \(bind: from.description)") }
            if let to = filter.to { range.append("AND r.scan_date <= \(bind: to.description)") }
            let query: SQLQueryString = """
                WITH RECURSIVE codes(code) AS (
                    SELECT MIN(outlet_code) FROM backup_records WHERE mode = \(bind: mode)
                    UNION ALL
                    SELECT (SELECT MIN(outlet_code) FROM backup_records
                            WHERE mode = \(bind: mode) AND outlet_code > codes.code)
                    FROM codes WHERE codes.code IS NOT NULL
                )
                SELECT COUNT(*) AS n FROM codes WHERE codes.code IS NOT NULL AND EXISTS (
                    SELECT 1 FROM backup_records r
                    WHERE r.mode = \(bind: mode) AND r.outlet_code = codes.code \(range.joined(separator: " ")))
                """
            return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}

extension RecordRepository {
    /// The outlet codes that have a record matching `filter` (the dashboard's "not yet scanned"
    /// is the enabled outlets minus these), read from an index without decoding whole records.
    public func outletCodes(matching filter: RecordFilter) async throws -> [String] {
        try await database.withSQL { sql in
            let query = sql.select().column("outlet_code").from("backup_records")
            Self.apply(filter, to: query)
            return try await query.all().map { try $0.decode(column: "outlet_code", as: String.self) }
        }
    }
}
