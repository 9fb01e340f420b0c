import Foundation
import SQLKit
import Synchronization

/// `backup-monitor import-legacy`: the original system's history into ours (SPEC §13).
///
/// Two passes over the file, each streamed: the first checks every row (a bad row names its
/// line, and without `skipBad` nothing is imported), the second writes them in one transaction
/// in batches. Idempotent on (mode, outlet, day); a record of our own scans is never replaced.
public struct LegacyHistoryImport: Sendable {
    public struct Options: Sendable {
        public var mode: ScanMode
        public var dryRun = false
        /// Unknown outlets are created; without, their rows are left out and reported.
        public var createOutlets = true
        /// Bad rows are listed and the others imported, instead of nothing.
        public var skipBad = false

        public init(mode: ScanMode, dryRun: Bool = false, createOutlets: Bool = true, skipBad: Bool = false) {
            self.mode = mode
            self.dryRun = dryRun
            self.createOutlets = createOutlets
            self.skipBad = skipBad
        }
    }

    public struct Report: Sendable {
        public var rows = 0
        public var imported = 0
        /// Rows left as they were because a scan of ours already has that outlet and day.
        public var keptOurs = 0
        public var createdOutlets: [String] = []
        /// Outlets not known and not created (`createOutlets` off): their rows were left out.
        public var unknownOutlets: [String] = []
        public var skippedRows = 0
        /// "line 12: …", the first 100.
        public var problems: [String] = []
        public var problemCount = 0
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var report: Report
        public var description: String {
            "nothing was imported: \(report.problemCount) bad row\(report.problemCount == 1 ? "" : "s")"
                + " (--skip-bad imports the others):\n"
                + report.problems.map { "  \($0)" }.joined(separator: "\n")
                + (report.problemCount > report.problems.count
                    ? "\n  … and \(report.problemCount - report.problems.count) more" : "")
        }
    }

    let database: MonitorDatabase
    let timeZone: TimeZone
    static let batchSize = 500
    static let shownProblems = 100

    public init(database: MonitorDatabase, timeZone: TimeZone) {
        self.database = database
        self.timeZone = timeZone
    }

    public func run(path: String, _ options: Options) async throws -> Report {
        var report = Report()
        var codes = Set<String>()
        try await scan(path, options) { result in
            report.rows += 1
            switch result {
            case .success(let record): codes.insert(record.outletCode)
            case .failure(let problem):
                report.problemCount += 1
                if report.problems.count < Self.shownProblems { report.problems.append(problem.message) }
            }
        }
        if report.problemCount > 0 && !options.skipBad { throw Failure(report: report) }
        report.skippedRows = report.problemCount
        let known = Set(try await OutletRepository(database: database).all().map(\.code))
        let missing = codes.subtracting(known).sorted()
        if options.createOutlets { report.createdOutlets = missing } else { report.unknownOutlets = missing }
        let leftOut = options.createOutlets ? Set<String>() : Set(missing)
        if options.dryRun { return report }

        let importer = self
        let written = try await database.transaction { sql in
            if options.createOutlets, !missing.isEmpty {
                try await OutletRepository.insertMissing(missing.map { Outlet(code: $0) }, into: sql)
            }
            let counter = WriteCounter()
            var batch: [BackupRecord] = []
            batch.reserveCapacity(Self.batchSize)
            // The file is read again here rather than kept: flat memory for any size.
            try await importer.scan(path, options) { result in
                guard case .success(let record) = result, !leftOut.contains(record.outletCode) else { return }
                batch.append(record)
                if batch.count >= Self.batchSize {
                    try await Self.write(batch, sql, counter)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try await Self.write(batch, sql, counter) }
            return (imported: counter.imported.withLock { $0 }, offered: counter.offered.withLock { $0 })
        }
        report.imported = written.imported
        report.keptOurs = written.offered - written.imported
        return report
    }

    /// Rows written, and rows offered (the difference: records of our scans left in place).
    private final class WriteCounter: Sendable {
        let imported = Mutex(0)
        let offered = Mutex(0)
    }

    private static func write(_ batch: [BackupRecord], _ sql: any SQLDatabase, _ counter: WriteCounter) async throws {
        let rows = RecordRepository.lastPerKey(batch)
        counter.offered.withLock { $0 += rows.count }
        try await sql.execute(sql: RecordUpsert(rows: rows[...], onlyOverImported: true)) { _ in
            counter.imported.withLock { $0 += 1 }
        }
    }

    /// Reads every data row of `path` (header, `#TYPE`, sqlcmd's dashes and row count skipped);
    /// a bad row comes as "line N: …".
    func scan(
        _ path: String, _ options: Options,
        _ each: (Result<BackupRecord, LegacyHistoryRow.Problem>) async throws -> Void
    ) async throws {
        var stream: LegacyCSVStream
        do {
            stream = try LegacyCSVStream(path: path)
        } catch let error as LegacyCSVStream.ReadError {
            throw UseCaseError.invalid(error.description, field: "file")
        }
        var layout: LegacyHistoryRow.Layout?
        var first = true
        while true {
            let next: LegacyCSVStream.Record?
            do {
                next = try stream.next()
            } catch let error as LegacyCSVStream.ReadError {
                throw UseCaseError.invalid("the file was not imported: \(error.description)", field: "file")
            }
            guard let record = next else { break }
            let head = record.fields.first?.trimmingCharacters(in: .whitespaces) ?? ""
            if first && head.hasPrefix("#TYPE") { continue }
            defer { first = false }
            if first, LegacyHistoryRow.columns.contains(head.lowercased()) {
                layout = try Self.layout(header: record)
                continue
            }
            // sqlcmd: a line of dashes under the header, and "(12 rows affected)" at the end.
            if record.fields.allSatisfy({ $0.allSatisfy { $0 == "-" || $0 == " " } }) { continue }
            if record.fields.count == 1, head.hasPrefix("("), head.hasSuffix("affected)") { continue }
            let rowLayout = layout ?? .positional(record.fields.count >= 9 && options.mode == .ibstorage ? 9 : 8)
            let result: Result<BackupRecord, LegacyHistoryRow.Problem>
            do {
                let values = try LegacyHistoryRow.values(record, rowLayout)
                result = .success(try LegacyHistoryRow.record(values, mode: options.mode, timeZone: timeZone))
            } catch {
                result = .failure(LegacyHistoryRow.Problem(message: "line \(record.line): \(error.message)"))
            }
            try await each(result)
        }
    }

    private static func layout(header: LegacyCSVStream.Record) throws -> LegacyHistoryRow.Layout {
        var positions: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard LegacyHistoryRow.columns.contains(key) else {
                throw UseCaseError.invalid(
                    "line \(header.line): unknown column '\(name)' (the original tables have "
                        + "OutletServer, ScanDate, Status, LastBackupTaken, BackupFile, BackupFileSize, Duration, "
                        + "ErrorDetails and, for IBSTORAGE, DriveLetter)", field: "file")
            }
            positions[key] = index
        }
        for required in ["outletserver", "scandate", "status"] where positions[required] == nil {
            throw UseCaseError.invalid("line \(header.line): the header has no \(required) column", field: "file")
        }
        return LegacyHistoryRow.Layout(positions: positions, count: header.fields.count)
    }
}
