import BackupMonitorTesting
import Foundation
import Logging
import SQLKit
import Synchronization
import Testing

@testable import BackupMonitor

/// A scan whose database refuses its records never reports them as done (SPEC §6): what the
/// stream, the summary and the log call stored is in the database, and what is not is said so.
@Suite("Scan storage failures: nothing reported as stored is missing")
struct ScanStorageFailureTests {
    static let day = CalendarDay("2026-11-27")!
    static let codes = (1...8).map { "OUT\($0)" }

    /// Makes the database refuse records of outlets from OUT5 on, as a full disk or a revoked
    /// grant would: the statement fails inside the scan's batch transaction.
    /// (A trigger's statement takes no bound parameters, hence the literal; `code` is the test's own.)
    static func refuseRecords(from code: String, _ database: MonitorDatabase) async throws {
        try await database.withSQL { sql in
            switch database.kind {
            case .sqlite:
                try await sql.raw(
                    """
                    CREATE TRIGGER refuse_records BEFORE INSERT ON backup_records
                    WHEN NEW.outlet_code >= '\(unsafeRaw: code)' BEGIN SELECT RAISE(ABORT, 'the disk is full'); END
                    """
                ).run()
            case .postgres:
                try await sql.raw(
                    """
                    CREATE FUNCTION refuse_records() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN IF NEW.outlet_code >= '\(unsafeRaw: code)' THEN RAISE EXCEPTION 'the disk is full'; END IF;
                    RETURN NEW; END $$
                    """
                ).run()
                try await sql.raw(
                    """
                    CREATE TRIGGER refuse_records BEFORE INSERT ON backup_records
                    FOR EACH ROW EXECUTE FUNCTION refuse_records()
                    """
                ).run()
            }
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func recordsThatCannotBeStoredAreReportedAsNotStored(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            try await OutletRepository(database: database).save(Self.codes.map { Outlet(code: $0) })
            let configuration = try MonitorConfiguration(values: [
                "USER": "u", "PASS": "p", "TZ": "UTC", "DATABASE_URL": database.location.urlText,
            ])
            let fleet = FakeFleet()
            fleet.setBackupTime(Self.day.start(in: .gmt).addingTimeInterval(7200))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "bm-store-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let utc = TimeZone(identifier: "UTC")!
            let writtenAt = Self.day.start(in: utc).addingTimeInterval(36000)
            let log = ScanLogFile(directory: directory.path, timeZone: utc) { writtenAt }
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database, source: fleet, logFile: log,
                logger: Logger(label: "test.storage-failure"))
            let scans = ScanRequests(coordinator: coordinator, database: database, timeZone: utc) { writtenAt }

            // The database refuses records of OUT5 and later; a batch is one transaction, so good
            // rows that share a batch with a refused one go down with it.
            try await Self.refuseRecords(from: "OUT5", database)
            let events = Mutex<[OutletProgress]>([])
            let collect: @Sendable (ScanEvent) async -> Void = { event in
                if case .outletFinished(let progress) = event { events.withLock { $0.append(progress) } }
            }
            // A re-sync of outlets the database accepts: every one reported stored, and stored.
            let first = try await scans.run(
                mode: .ddrive, day: Self.day, outletCodes: ["OUT1", "OUT2", "OUT3"], triggeredBy: "test",
                onEvent: collect)
            #expect(first.notStored.isEmpty)
            // Then the whole fleet, which the database partly refuses.
            let summary = try await scans.run(mode: .ddrive, day: Self.day, triggeredBy: "test", onEvent: collect)
            await log.close()
            let progress = events.withLock { $0 }
            let stored = Dictionary(
                try await RecordRepository(database: database).records(
                    matching: RecordFilter(mode: .ddrive, from: Self.day, to: Self.day), limit: 100
                ).map { ($0.outletCode, $0) }, uniquingKeysWith: { first, _ in first })

            #expect(progress.count == 3 + Self.codes.count)
            #expect(progress.prefix(3).allSatisfy { $0.notStored == nil })
            // Every result reported as stored is in the database, from the scan that reported it; no
            // result reported as not stored is (an outlet may still hold an earlier scan's record).
            for event in progress {
                let code = event.record.outletCode
                if event.notStored == nil {
                    #expect(stored[code]?.scanID == event.record.scanID, "\(code) reported stored")
                } else {
                    #expect(stored[code]?.scanID != event.record.scanID, "\(code) reported not stored")
                }
            }
            let reportedNotStored = Set(progress.compactMap { $0.notStored == nil ? nil : $0.record.outletCode })
            #expect(reportedNotStored.isSuperset(of: ["OUT5", "OUT6", "OUT7", "OUT8"]))
            #expect(Set(summary.notStored.keys) == reportedNotStored)
            #expect(summary.notStored.values.allSatisfy { $0.contains("the disk is full") })
            let run = try #require(try await ScanRepository(database: database).scan(id: summary.scanID))
            #expect(run.state == .failed)

            let text = try String(
                contentsOf: directory.appendingPathComponent(ScanLogFile.fileName(mode: .ddrive, day: Self.day)),
                encoding: .utf8)
            let notStoredLines = text.split(separator: "\n").filter { $0.contains("NOT-STORED") }
            #expect(notStoredLines.count == reportedNotStored.count)
            #expect(text.contains("not-stored=\(reportedNotStored.count)"))
            await coordinator.cancelAll()
        }
    }

    /// The CLI says which records were not stored and exits 2: a cron job or a Nagios check
    /// must not read a scan whose results are lost as a plain "some outlets failed".
    @Test func theCommandLineExitsTwoWhenRecordsAreNotStored() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bm-store-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = DatabaseLocation.sqlite(path: directory.appendingPathComponent("monitor.sqlite").path)
        let database = try await MonitorDatabase.open(location, logger: Logger(label: "test.storage-failure"))
        // Port 1 on loopback refuses at once: each outlet fails fast with a record to store.
        try await OutletRepository(database: database).save([
            Outlet(code: "OUT1", host: "127.0.0.1", port: 1), Outlet(code: "OUT7", host: "127.0.0.1", port: 1),
        ])
        do {
            try await Self.refuseRecords(from: "OUT5", database)
            await database.close()
        } catch {
            await database.close()
            throw error
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: ScanCrashRecoveryTests.binary)
        process.arguments = ["scan", "--mode", "ddrive", "--quiet", "--format", "csv"]
        process.environment = [
            "DATABASE_URL": location.urlText, "USER": "u", "PASS": "p", "TZ": "UTC",
            "LOG_DIR": directory.appendingPathComponent("logs").path, "SMB_CONNECT_TIMEOUT": "2",
        ]
        let errors = Pipe()
        let output = Pipe()
        process.standardError = errors
        process.standardOutput = output
        try process.run()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let outputText = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(errorText)")
        // Both results share one batch, so OUT1 goes down with OUT7's refused row.
        #expect(errorText.contains("2 outlet records were not stored (first: OUT1: "), "\(errorText)")
        #expect(errorText.contains("the disk is full"), "\(errorText)")
        #expect(outputText.contains("OUT1,failed (not stored),unreachable"), "\(outputText)")
        #expect(outputText.contains("OUT7,failed (not stored),unreachable"), "\(outputText)")
    }
}
