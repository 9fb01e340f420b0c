import ArgumentParser
import BackupMonitor
import Foundation
import Logging
import Synchronization

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scans outlets once, stores the records, and prints them.",
        discussion: """
            Exit status: 0 every outlet has a good backup, 1 some failed, 2 the scan could not run
            or could not store its results (bad configuration, database unreachable or failing,
            unknown outlet). Usable from cron or as a Nagios-style check.
            """)

    @Option(help: "ddrive or ibstorage.") var mode: ScanMode
    @Option(help: "The scan date YYYY-MM-DD (default: today in TZ); a past date rebuilds history.")
    var date: String?
    @Option(
        name: .customLong("outlet"), parsing: .upToNextOption, help: "Only these outlet codes (default: all enabled).")
    var outlets: [String] = []
    @Option(help: "table, json or csv.") var format: ScanOutputFormat = .table
    @Flag(help: "No progress bar, even on a terminal.") var quiet = false

    func run() async throws {
        let context = try await CommandContext.open(label: "backup-monitor.scan")
        let timeZone = context.configuration.timeZone
        let coordinator = ScanCoordinator(
            configuration: context.configuration, database: context.database,
            logFile: ScanLogFile(directory: context.configuration.logDirectory, timeZone: timeZone),
            logger: context.logger)
        let scans = ScanRequests(coordinator: coordinator, database: context.database, timeZone: timeZone)
        let progress = ProgressBar(enabled: !quiet && CommandOutput.stderrIsTerminal)
        let summary: ScanSummary
        let day: CalendarDay
        do {
            day = try scans.day(text: date, field: "--date")
            summary = try await scans.run(
                mode: mode, day: day,
                outletCodes: outlets.isEmpty ? nil : try scans.outletCodes(outlets, field: "--outlet"),
                triggeredBy: "cli:\(NSUserName())"
            ) { event in progress.show(event) }
        } catch {
            await context.database.close()
            CommandOutput.error("\(error)")
            throw ExitCode(2)
        }
        progress.finish()
        await context.database.close()
        print(ScanOutput.render(summary, format: format, timeZone: timeZone), terminator: "")
        let rate = summary.records.isEmpty ? 0 : Double(summary.succeeded) * 100 / Double(summary.records.count)
        FileHandle.standardError.write(
            Data(
                ("\(mode.displayName) \(day): \(summary.records.count) outlets, \(summary.succeeded) successful "
                    + "(\(String(format: "%.1f", rate)) %), \(summary.failed) failed, \(summary.advanced.count) advanced, "
                    + "\(String(format: "%.2f", Double(summary.processingTime.milliseconds) / 1000)) s\n").utf8))
        for sentence in [
            summary.secondTry.map { $0 + "." }, summary.degradation?.sentence,
        ] {
            if let sentence { FileHandle.standardError.write(Data("\(sentence)\n".utf8)) }
        }
        if !summary.notStored.isEmpty {
            let example = summary.notStored.min { $0.key < $1.key }!
            CommandOutput.error(
                "\(summary.notStored.count) outlet record\(summary.notStored.count == 1 ? " was" : "s were") not stored "
                    + "(first: \(example.key): \(example.value)); the scan is incomplete")
            throw ExitCode(2)
        }
        if summary.failed > 0 { throw ExitCode(1) }
    }
}

enum ScanOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv
}

extension ScanMode: ExpressibleByArgument {}

enum ScanOutput {
    static func render(_ summary: ScanSummary, format: ScanOutputFormat, timeZone: TimeZone) -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = (try? encoder.encode(LegacyScanResponse(summary, timeZone: timeZone))) ?? Data()
            return String(decoding: data, as: UTF8.self) + "\n"
        case .table, .csv:
            let header = ["OUTLET", "STATUS", "REASON", "FILE", "SIZE", "LAST BACKUP", "DRIVE", "DETAILS"]
            let rows = summary.records.map { record in
                [
                    record.outletCode,
                    record.status.rawValue + (summary.notStored[record.outletCode] == nil ? "" : " (not stored)"),
                    record.failureKind?.rawValue ?? "",
                    record.fileName ?? "", record.fileSizeText ?? "",
                    record.lastBackupAt.map { ISO8601Text.format($0, timeZone: timeZone) } ?? "",
                    record.driveLetter ?? "", record.errorDetails ?? "",
                ]
            }
            return format == .csv
                ? CSVText.render(
                    header: header.map { $0.lowercased().replacingOccurrences(of: " ", with: "_") }, rows: rows)
                : TextTable.render(header: header, rows: rows)
        }
    }
}

/// A one-line progress bar on stderr, redrawn as outlets finish.
final class ProgressBar: Sendable {
    let enabled: Bool
    /// Outlets of the second pass, once it started.
    private let retried = Mutex(0)

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ event: ScanEvent) {
        guard enabled else { return }
        if case .retrying(let retrying) = event {
            self.retried.withLock { $0 = retrying.count }
            FileHandle.standardError.write(Data("\n\(retrying.sentence)\n".utf8))
            return
        }
        guard case .outletFinished(let progress) = event else { return }
        // The second pass redraws the bar over the outlets it tries again.
        let total = progress.pass > 1 ? retried.withLock { $0 } : progress.total
        let width = 30
        let filled = total == 0 ? width : min(width, progress.done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(
            Data("\r[\(bar)] \(progress.done)/\(total)  failed \(progress.failed)  ".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
