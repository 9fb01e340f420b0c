import Foundation
import SQLKit

/// A scan as stored: when, by whom, how far it got.
public struct ScanRun: Sendable, Hashable {
    public enum State: String, Sendable {
        case running
        case finished
        /// The process stopped during the scan; its finished outlets are stored, the rest are not.
        case interrupted
        /// The scan ran to its end but some results could not be stored (the summary names them).
        case failed
    }

    public var id: String
    public var mode: ScanMode
    public var day: CalendarDay
    public var kind: ScanKind
    public var triggeredBy: String
    public var state: State
    public var total: Int
    public var succeeded: Int
    public var failed: Int
    public var advanced: Int
    public var startedAt: Date
    public var finishedAt: Date?
    /// Outlets tried again because they timed out, and how many then succeeded.
    public var retried = 0
    public var recovered = 0
    /// `ScanDegradation.sentence` when the scan looked overloaded.
    public var degraded: String?

    /// The SSE sequence number of the scan's final event.
    public var endSequence: Int { ScanSequence.end(total: total, retried: retried) }

    /// `ScanSecondTry.sentence`, or nil without a second pass.
    public var secondTry: String? { ScanSecondTry.sentence(retried: retried, recovered: recovered) }
}

/// Past and running scans, for the dashboard's "last scan" and the scans API.
public struct ScanRepository: Sendable {
    public let database: MonitorDatabase

    public init(database: MonitorDatabase) {
        self.database = database
    }

    func insert(_ started: ScanStarted) async throws {
        try await database.withSQL { sql in
            try await sql.insert(into: "scans")
                .columns("id", "mode", "scan_date", "kind", "triggered_by", "state", "total", "started_at")
                .values(
                    SQLBind(started.scanID), SQLBind(started.mode.rawValue), SQLBind(started.day.description),
                    SQLBind(started.kind.rawValue), SQLBind(started.triggeredBy),
                    SQLBind(ScanRun.State.running.rawValue),
                    SQLBind(started.total), SQLBind(started.startedAt.unixMilliseconds)
                )
                .run()
        }
    }

    /// Records the end of a scan; `state` is `.interrupted` when it was cancelled part-way.
    func finish(_ summary: ScanSummary, state: ScanRun.State) async throws {
        try await database.withSQL { sql in
            try await sql.update("scans")
                .set("state", to: SQLBind(state.rawValue))
                .set("succeeded", to: SQLBind(summary.succeeded)).set("failed", to: SQLBind(summary.failed))
                .set("advanced", to: SQLBind(summary.advanced.count))
                .set("finished_at", to: SQLBind(summary.finishedAt.unixMilliseconds))
                .set("retried", to: SQLBind(summary.retried)).set("recovered", to: SQLBind(summary.recovered))
                .set("degraded", to: SQLBind(summary.degradation?.sentence))
                .where("id", .equal, SQLBind(summary.scanID)).run()
        }
    }

    /// At start-up: scans left `running` by a process that died are marked interrupted.
    public func markUnfinishedAsInterrupted() async throws {
        try await database.withSQL { sql in
            try await sql.update("scans").set("state", to: SQLBind(ScanRun.State.interrupted.rawValue))
                .where("state", .equal, SQLBind(ScanRun.State.running.rawValue)).run()
        }
    }

    public func recent(mode: ScanMode? = nil, limit: Int) async throws -> [ScanRun] {
        try await database.withSQL { sql in
            let query = sql.select().column("*").from("scans")
            if let mode { query.where("mode", .equal, SQLBind(mode.rawValue)) }
            return try await query.orderBy("started_at", .descending).limit(limit).all().map(Self.run(from:))
        }
    }

    static func run(from row: any SQLRow) throws -> ScanRun {
        let modeText = try row.decode(column: "mode", as: String.self)
        let dayText = try row.decode(column: "scan_date", as: String.self)
        let kindText = try row.decode(column: "kind", as: String.self)
        let stateText = try row.decode(column: "state", as: String.self)
        guard let mode = ScanMode(rawValue: modeText), let day = CalendarDay(dayText),
            let kind = ScanKind(rawValue: kindText), let state = ScanRun.State(rawValue: stateText)
        else {
            throw StorageCorruptionError(description: "scans row with \(modeText) \(dayText) \(kindText) \(stateText)")
        }
        var run = ScanRun(
            id: try row.decode(column: "id", as: String.self), mode: mode, day: day, kind: kind,
            triggeredBy: try row.decode(column: "triggered_by", as: String.self), state: state,
            total: try row.decode(column: "total", as: Int.self),
            succeeded: try row.decode(column: "succeeded", as: Int.self),
            failed: try row.decode(column: "failed", as: Int.self),
            advanced: try row.decode(column: "advanced", as: Int.self),
            startedAt: Date(unixMilliseconds: try row.decode(column: "started_at", as: Int64.self)),
            finishedAt: try row.decode(column: "finished_at", as: Int64?.self).map(Date.init(unixMilliseconds:)))
        run.retried = try row.decode(column: "retried", as: Int.self)
        run.recovered = try row.decode(column: "recovered", as: Int.self)
        run.degraded = try row.decode(column: "degraded", as: String?.self)
        return run
    }
}
