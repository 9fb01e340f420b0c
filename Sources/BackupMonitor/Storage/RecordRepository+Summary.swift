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
    /// Without a status filter this reads `record_spans` (each outlet's first and last day,
    /// kept by triggers) instead: a span with an end inside the range counts at once, and only a
    /// span that covers the range from both sides costs an index probe. Outlets deleted since
    /// still count, as they did.
    public func outletCount(matching filter: RecordFilter) async throws -> Int {
        try await database.withSQL { sql in
            guard filter.status == nil, filter.failureKind == nil, filter.outletCode == nil else {
                let query = sql.select().column(SQLFunction("COUNT", args: SQLRaw("DISTINCT outlet_code")), as: "n")
                    .from("backup_records")
                Self.apply(filter, to: query)
                return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
            }
            var query: SQLQueryString =
                "SELECT COUNT(*) AS n FROM record_spans s WHERE s.mode = \(bind: filter.mode.rawValue)"
            switch (filter.from, filter.to) {
            case (nil, nil):
                break
            case (let from?, nil):
                query += " AND s.last_date >= \(bind: from.description)"
            case (nil, let to?):
                query += " AND s.first_date <= \(bind: to.description)"
            case (let from?, let to?):
                let (from, to) = (from.description, to.description)
                query += """
                     AND s.first_date <= \(bind: to) AND s.last_date >= \(bind: from)
                     AND (s.first_date >= \(bind: from) OR s.last_date <= \(bind: to) OR EXISTS (
                        SELECT 1 FROM backup_records r WHERE r.mode = s.mode AND r.outlet_code = s.outlet_code
                            AND r.scan_date >= \(bind: from) AND r.scan_date <= \(bind: to)))
                    """
            }
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
