import Foundation
import SQLKit

/// The reasons that come from reaching or reading an outlet over SMB, as opposed to the
/// verdicts on its files (`no_backup`, `stale`, `too_small`): the "SMB errors" of the metrics.
extension FailureKind {
    public var isSMBError: Bool {
        switch self {
        case .unreachable, .auth, .accessDenied, .shareMissing, .folderMissing, .driveNotFound, .protocol: true
        case .noBackup, .stale, .tooSmall, .imported: false
        }
    }
}

/// One mode's latest scan day, counted: the gauges of `/metrics` (SPEC §12).
public struct LatestDayCounts: Sendable, Hashable {
    public var mode: ScanMode
    public var day: CalendarDay
    public var byStatus: [BackupStatus: Int]
    public var byReason: [FailureKind: Int]
}

extension ScanRepository {
    /// Scans that ended (finished or interrupted) after `instant`, oldest first.
    public func ended(after instant: Date) async throws -> [ScanRun] {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("scans")
                .where("finished_at", .greaterThan, SQLBind(instant.unixMilliseconds))
                .orderBy("finished_at").all().map(Self.run(from:))
        }
    }
}

extension RecordRepository {
    /// Failure reasons among the records a scan wrote (records replaced since by a later scan
    /// no longer count, so call this soon after the scan ends).
    public func failureCounts(scanID: String) async throws -> [FailureKind: Int] {
        try await database.withSQL { sql in
            let rows = try await sql.select().column("error_kind")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("backup_records")
                .where("scan_id", .equal, SQLBind(scanID)).where("error_kind", .isNot, SQLLiteral.null)
                .groupBy("error_kind").all()
            var counts: [FailureKind: Int] = [:]
            for row in rows {
                guard let kind = FailureKind(rawValue: try row.decode(column: "error_kind", as: String.self)) else {
                    continue
                }
                counts[kind] = try row.decode(column: "n", as: Int.self)
            }
            return counts
        }
    }

    /// Status and reason counts of the newest scan day of `mode`; nil before any record.
    public func latestDayCounts(mode: ScanMode) async throws -> LatestDayCounts? {
        try await database.withSQL { sql in
            guard
                let dayText = try await sql.select().column(SQLFunction("MAX", args: SQLColumn("scan_date")), as: "d")
                    .from("backup_records").where("mode", .equal, SQLBind(mode.rawValue)).first()?
                    .decode(column: "d", as: String?.self),
                let day = CalendarDay(dayText)
            else { return nil }
            let rows = try await sql.select().column("status").column("error_kind")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("backup_records")
                .where("mode", .equal, SQLBind(mode.rawValue)).where("scan_date", .equal, SQLBind(day.description))
                .groupBy("status").groupBy("error_kind").all()
            var counts = LatestDayCounts(mode: mode, day: day, byStatus: [:], byReason: [:])
            for row in rows {
                let n = try row.decode(column: "n", as: Int.self)
                if let status = BackupStatus(rawValue: try row.decode(column: "status", as: String.self)) {
                    counts.byStatus[status, default: 0] += n
                }
                if let text = try row.decode(column: "error_kind", as: String?.self),
                    let kind = FailureKind(rawValue: text)
                {
                    counts.byReason[kind, default: 0] += n
                }
            }
            return counts
        }
    }

    /// Each outlet's newest backup time ever seen in `mode` (outlets with none are left out).
    public func newestBackups(mode: ScanMode) async throws -> [(outlet: String, at: Date)] {
        try await database.withSQL { sql in
            let rows = try await sql.select().column("outlet_code")
                .column(SQLFunction("MAX", args: SQLColumn("last_backup_at")), as: "newest").from("backup_records")
                .where("mode", .equal, SQLBind(mode.rawValue)).where("last_backup_at", .isNot, SQLLiteral.null)
                .groupBy("outlet_code").orderBy("outlet_code").all()
            return try rows.compactMap { row in
                guard let newest = try row.decode(column: "newest", as: Int64?.self) else { return nil }
                return (try row.decode(column: "outlet_code", as: String.self), Date(unixMilliseconds: newest))
            }
        }
    }
}
