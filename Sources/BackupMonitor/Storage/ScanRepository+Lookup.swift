import SQLKit

extension ScanRepository {
    /// One stored scan by id, for the scans API; nil when there is none.
    public func scan(id: String) async throws -> ScanRun? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("scans").where("id", .equal, SQLBind(id)).first()
                .map(Self.run(from:))
        }
    }

    /// Scans newest first with paging and an optional mode, for the scans API's list.
    public func page(mode: ScanMode?, limit: Int, offset: Int) async throws -> [ScanRun] {
        try await database.withSQL { sql in
            let query = sql.select().column("*").from("scans")
            if let mode { query.where("mode", .equal, SQLBind(mode.rawValue)) }
            return try await query.orderBy("started_at", .descending).limit(limit).offset(offset).all()
                .map(Self.run(from:))
        }
    }
}

/// How many scans ended in each state, per mode: the metrics endpoint's counters.
public struct ScanStateCount: Sendable, Hashable {
    public var mode: ScanMode
    public var state: ScanRun.State
    public var count: Int
}

extension ScanRepository {
    public func stateCounts() async throws -> [ScanStateCount] {
        try await database.withSQL { sql in
            let rows = try await sql.select().column("mode").column("state")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("scans")
                .groupBy("mode").groupBy("state").all()
            return try rows.compactMap { row in
                guard let mode = ScanMode(rawValue: try row.decode(column: "mode", as: String.self)),
                    let state = ScanRun.State(rawValue: try row.decode(column: "state", as: String.self))
                else { return nil }
                return ScanStateCount(mode: mode, state: state, count: try row.decode(column: "n", as: Int.self))
            }
        }
    }
}
