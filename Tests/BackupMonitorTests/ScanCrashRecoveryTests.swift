import BackupMonitorTesting
import Foundation
import Logging
import Testing

@testable import BackupMonitor

/// SPEC §6: each result is stored the moment it is known, so killing the process mid-scan
/// loses nothing it already reported, and the next scan completes the rest.
@Suite("Crash recovery against the Samba fleet", .enabled(if: FleetManifest.isAvailable))
struct ScanCrashRecoveryTests {
    /// The CLI built beside the tests (`swift build --build-tests` builds it too).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["BACKUP_MONITOR_BIN"] { return path }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return repository.appendingPathComponent(".build/debug/backup-monitor").path
    }

    @Test func sigkillMidScanLosesNothingReported() async throws {
        let manifest = try FleetManifest.load()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bm-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = DatabaseLocation.sqlite(path: directory.appendingPathComponent("monitor.sqlite").path)
        let logs = directory.appendingPathComponent("logs").path
        let database = try await MonitorDatabase.open(location, logger: Logger(label: "test.crash"))
        try await OutletRepository(database: database).save(manifest.domainOutlets)
        await database.close()

        var environment = ProcessInfo.processInfo.environment
        environment.merge(manifest.environment(database: location, logDirectory: logs)) { $1 }
        let timeZone = TimeZone(identifier: manifest.timeZone)!
        let logFile = URL(fileURLWithPath: logs).appendingPathComponent(
            ScanLogFile.fileName(mode: .ddrive, day: CalendarDay(containing: Date(), in: timeZone))
        ).path

        // First run: kill it once a good part of the fleet has been reported.
        let victim = try Self.launch(environment: environment)
        let deadline = Date().addingTimeInterval(120)
        var reported: [String: String] = [:]
        while Date() < deadline {
            reported = Self.reportedOutlets(logFile)
            if reported.count >= manifest.outlets.count / 4 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal)
        reported = Self.reportedOutlets(logFile)
        #expect(reported.count >= manifest.outlets.count / 4)
        #expect(reported.count < manifest.outlets.count, "the scan ended before it could be killed")

        let reopened = try await MonitorDatabase.open(location, logger: Logger(label: "test.crash"))
        let today = CalendarDay(containing: Date(), in: timeZone)
        let stored = try await RecordRepository(database: reopened).records(
            matching: RecordFilter(mode: .ddrive, from: today, to: today), limit: 100_000)
        let storedStatus = Dictionary(uniqueKeysWithValues: stored.map { ($0.outletCode, $0.status.rawValue) })
        let lost = reported.filter { code, status in storedStatus[code] != status.lowercased() }
        #expect(lost.isEmpty, "reported but not stored: \(lost.keys.sorted().prefix(10))")
        await reopened.close()

        // Second run completes the rest.
        let rerun = try Self.launch(environment: environment)
        rerun.waitUntilExit()
        #expect(rerun.terminationStatus == 1, "some fleet outlets fail by design, so the exit status is 1")
        let final = try await MonitorDatabase.open(location, logger: Logger(label: "test.crash"))
        let count = try await RecordRepository(database: final).count(
            matching: RecordFilter(mode: .ddrive, from: today, to: today))
        #expect(count == manifest.outlets.count)
        let runs = try await ScanRepository(database: final).recent(limit: 5)
        await final.close()
        #expect(runs.map(\.state) == [.finished, .running], "the killed scan stays visible as unfinished")
    }

    static func launch(environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["scan", "--mode", "ddrive", "--quiet", "--format", "csv"]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Outlet lines of the day's log file: `<time> CODE SUCCESS|FAILED ...`.
    static func reportedOutlets(_ path: String) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var outlets: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 3)
            guard fields.count >= 3, fields[1] != "SCAN", fields[2] == "SUCCESS" || fields[2] == "FAILED" else {
                continue
            }
            outlets[String(fields[1])] = fields[2] == "SUCCESS" ? "success" : "failed"
        }
        return outlets
    }
}
