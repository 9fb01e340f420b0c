import Foundation
import SQLKit

/// One scheduled attempt as stored: a slot (`07:30`) or a re-scan (`retry-2`) of one mode and day.
public struct ScheduledRun: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        case running
        case finished
        /// A scan of the mode was already going (started by hand or by the API).
        case skipped
        /// The slot passed while the server was down and its catch-up deadline passed too.
        case missed
        /// The scan could not start or run (database error, missing credentials).
        case failed
    }

    public var mode: ScanMode
    public var day: CalendarDay
    public var slot: String
    public var state: State
    public var scanID: String?
    public var detail: String?
    public var targets: Int?
    public var succeeded: Int?
    public var failed: Int?
    public var startedAt: Date
    public var finishedAt: Date?

    public var isRetry: Bool { slot.hasPrefix(ScheduledRunRepository.retryPrefix) }
}

/// The scheduler's memory across restarts (SPEC §6): which slots of which day already ran.
public struct ScheduledRunRepository: Sendable {
    public let database: MonitorDatabase
    static let retryPrefix = "retry-"

    public init(database: MonitorDatabase) {
        self.database = database
    }

    /// Inserts the row for a slot unless one exists; false when this slot was already taken
    /// (by an earlier run of this process, a previous process, or another instance).
    public func claim(
        mode: ScanMode, day: CalendarDay, slot: String, state: ScheduledRun.State, detail: String? = nil, at: Date
    ) async throws -> Bool {
        do {
            return try await database.transaction { sql in
                let existing = try await sql.select().column("slot").from("scheduled_runs")
                    .where("mode", .equal, SQLBind(mode.rawValue))
                    .where("scan_date", .equal, SQLBind(day.description))
                    .where("slot", .equal, SQLBind(slot)).first()
                guard existing == nil else { return false }
                try await sql.insert(into: "scheduled_runs")
                    .columns("mode", "scan_date", "slot", "state", "detail", "started_at", "finished_at")
                    .values(
                        SQLBind(mode.rawValue), SQLBind(day.description), SQLBind(slot), SQLBind(state.rawValue),
                        SQLBind(detail), SQLBind(at.unixMilliseconds),
                        SQLBind(state == .running ? nil : at.unixMilliseconds)
                    ).run()
                return true
            }
        } catch {
            // Two instances raced past the select: the primary key let only one insert through.
            if try await run(mode: mode, day: day, slot: slot) != nil { return false }
            throw error
        }
    }

    /// Records how a claimed slot ended.
    public func finish(
        mode: ScanMode, day: CalendarDay, slot: String, state: ScheduledRun.State, summary: ScanSummary?,
        targets: Int?, detail: String?, at: Date
    ) async throws {
        try await database.withSQL { sql in
            try await sql.update("scheduled_runs")
                .set("state", to: SQLBind(state.rawValue))
                .set("scan_id", to: SQLBind(summary?.scanID))
                .set("detail", to: SQLBind(detail))
                .set("targets", to: SQLBind(targets))
                .set("succeeded", to: SQLBind(summary?.succeeded))
                .set("failed", to: SQLBind(summary?.failed))
                .set("finished_at", to: SQLBind(at.unixMilliseconds))
                .where("mode", .equal, SQLBind(mode.rawValue))
                .where("scan_date", .equal, SQLBind(day.description))
                .where("slot", .equal, SQLBind(slot)).run()
        }
    }

    public func run(mode: ScanMode, day: CalendarDay, slot: String) async throws -> ScheduledRun? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("scheduled_runs")
                .where("mode", .equal, SQLBind(mode.rawValue))
                .where("scan_date", .equal, SQLBind(day.description))
                .where("slot", .equal, SQLBind(slot)).first().map(Self.run(from:))
        }
    }

    /// Every attempt of one mode and day, oldest first.
    public func runs(mode: ScanMode, day: CalendarDay) async throws -> [ScheduledRun] {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("scheduled_runs")
                .where("mode", .equal, SQLBind(mode.rawValue))
                .where("scan_date", .equal, SQLBind(day.description))
                .orderBy("started_at").all().map(Self.run(from:))
        }
    }

    /// The newest attempts of all modes, newest first (Settings' schedule view).
    public func recent(limit: Int) async throws -> [ScheduledRun] {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("scheduled_runs")
                .orderBy("started_at", .descending).limit(limit).all().map(Self.run(from:))
        }
    }

    static func run(from row: any SQLRow) throws -> ScheduledRun {
        let modeText = try row.decode(column: "mode", as: String.self)
        let dayText = try row.decode(column: "scan_date", as: String.self)
        let stateText = try row.decode(column: "state", as: String.self)
        guard let mode = ScanMode(rawValue: modeText), let day = CalendarDay(dayText),
            let state = ScheduledRun.State(rawValue: stateText)
        else {
            throw StorageCorruptionError(description: "scheduled_runs row with \(modeText) \(dayText) \(stateText)")
        }
        return ScheduledRun(
            mode: mode, day: day, slot: try row.decode(column: "slot", as: String.self), state: state,
            scanID: try row.decode(column: "scan_id", as: String?.self),
            detail: try row.decode(column: "detail", as: String?.self),
            targets: try row.decode(column: "targets", as: Int?.self),
            succeeded: try row.decode(column: "succeeded", as: Int?.self),
            failed: try row.decode(column: "failed", as: Int?.self),
            startedAt: Date(unixMilliseconds: try row.decode(column: "started_at", as: Int64.self)),
            finishedAt: try row.decode(column: "finished_at", as: Int64?.self).map(Date.init(unixMilliseconds:)))
    }
}

extension RecordRepository {
    /// Every record of one mode and day keyed by outlet code: the "before" of a notification.
    public func recordsByOutlet(mode: ScanMode, day: CalendarDay) async throws -> [String: BackupRecord] {
        let records = try await records(matching: RecordFilter(mode: mode, from: day, to: day), limit: 1_000_000)
        return Dictionary(records.map { ($0.outletCode, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
