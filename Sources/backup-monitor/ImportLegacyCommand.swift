import ArgumentParser
import BackupMonitor
import Foundation

struct ImportLegacyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-legacy",
        abstract: "Imports history from the original system's D_Drive_Backup_Stat / IB_Storage_Backup_Stat tables.",
        discussion: """
            FILE is a CSV export of one table, as SSMS "Save Results As" (with or without a header), \
            bcp ... out -c -t, (no header, no quoting), sqlcmd -s"," -W (a header and a line of dashes) or \
            PowerShell Invoke-Sqlcmd | Export-Csv (quoted, maybe a #TYPE line) write it. Columns: OutletServer, \
            ScanDate, Status, LastBackupTaken, BackupFile, BackupFileSize, Duration, ErrorDetails[, DriveLetter]. \
            DATETIMEs are read in TZ; the size text is kept, with approximate bytes; the error kind is inferred \
            from ErrorDetails where a sentence says it, else `imported`. Idempotent per outlet and day; a record \
            of our own scans is never replaced. Every row is checked first: a bad row names its line and \
            nothing is imported (--skip-bad lists bad rows and imports the rest).
            """)

    @Option(help: "ddrive or ibstorage: the table FILE comes from.") var mode: ScanMode
    @Argument(help: "The CSV export.") var file: String
    @Flag(help: "Check every row and report, store nothing.") var dryRun = false
    @Flag(help: "Leave out (and list) the rows of outlets not known yet instead of creating them.") var noCreate = false
    @Flag(help: "Import the good rows and list the bad ones, instead of importing nothing.") var skipBad = false

    func run() async throws {
        let options = LegacyHistoryImport.Options(
            mode: mode, dryRun: dryRun, createOutlets: !noCreate, skipBad: skipBad)
        let file = file
        let report: LegacyHistoryImport.Report
        do {
            report = try await CommandContext.run(label: "backup-monitor.import-legacy") { context in
                try await LegacyHistoryImport(database: context.database, timeZone: context.configuration.timeZone)
                    .run(path: file, options)
            }
        } catch let failure as LegacyHistoryImport.Failure {
            CommandOutput.error(failure.description)
            throw ExitCode(2)
        }
        for problem in report.problems { FileHandle.standardError.write(Data("skipped \(problem)\n".utf8)) }
        if !report.unknownOutlets.isEmpty {
            FileHandle.standardError.write(
                Data(
                    ("left out the rows of \(report.unknownOutlets.count) unknown outlet(s): "
                        + report.unknownOutlets.prefix(20).joined(separator: ", ") + "\n").utf8))
        }
        let verb = dryRun ? "would import" : "imported"
        print(
            "\(file): \(report.rows) rows; \(verb) \(dryRun ? report.rows - report.skippedRows : report.imported)"
                + (report.keptOurs > 0 ? ", kept \(report.keptOurs) of our own scans" : "")
                + (report.createdOutlets.isEmpty
                    ? "" : ", \(dryRun ? "would create" : "created") \(report.createdOutlets.count) outlet(s)")
                + (report.skippedRows > 0 ? ", skipped \(report.skippedRows) bad row(s)" : ""))
    }
}
