import ArgumentParser
import BackupMonitor
import BackupMonitorHistory
import Foundation
import Logging

/// Fills the configured database with a synthetic fleet history for the web benchmark
/// (Benchmarks/web). A tool of its own, never part of `backup-monitor`: it is for measuring,
/// not for running an outlet fleet, and it refuses a database that holds a real monitor's scans.
@main
struct GenerateHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-history",
        abstract: "Fills DATABASE_URL with synthetic outlets, records and scans (benchmarks only).",
        discussion: """
            The same options and seed give the same rows on SQLite and PostgreSQL. A database that already
            holds outlets or records is refused unless --force, which deletes them (users are kept). A
            database holding scans this tool did not write (a real monitor's) is always refused.
            DATABASE_URL and TZ are read as backup-monitor reads them (environment, then .env).
            """)

    @Option(help: "Number of outlets.") var outlets = 1000
    @Option(help: "Days of history, ending at --end-date.") var days = 730
    @Option(help: "Newest scan date (YYYY-MM-DD); default yesterday in TZ.") var endDate: String?
    @Option(help: "Seed of the random history.") var seed: UInt64 = 1
    @Flag(help: "Replace existing outlets, records and scans.") var force = false

    func validate() throws {
        guard (1...100_000).contains(outlets) else { throw ValidationError("--outlets must be 1 to 100000") }
        guard (1...3660).contains(days) else { throw ValidationError("--days must be 1 to 3660") }
        if let endDate, CalendarDay(endDate) == nil {
            throw ValidationError("--end-date must be a real date as YYYY-MM-DD")
        }
    }

    func run() async throws {
        let configuration: MonitorConfiguration
        do {
            configuration = try await MonitorConfiguration.load()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let database = try await MonitorDatabase.open(
            configuration.database, logger: Logger(label: "generate-history"))
        let timeZone = configuration.timeZone
        let end = endDate.flatMap(CalendarDay.init) ?? CalendarDay(containing: Date(), in: timeZone).adding(days: -1)
        let generator = HistoryGenerator(
            database: database,
            options: .init(outlets: outlets, days: days, endDate: end, seed: seed, timeZone: timeZone))
        let expected = outlets * days * ScanMode.allCases.count
        let showProgress = isatty(STDERR_FILENO) != 0
        do {
            let report = try await generator.run(replace: force) { written in
                guard showProgress else { return }
                FileHandle.standardError.write(Data("\r\(written) / \(expected) records".utf8))
            }
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            print(
                "generated \(report.outlets) outlets, \(report.records) records, \(report.scans) scans "
                    + "ending \(end) in \(String(format: "%.1f", report.seconds)) s "
                    + "(\(Int(report.recordsPerSecond)) records/s)")
        } catch let error as HistoryGenerator.NotEmptyError {
            await database.close()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        } catch let error as HistoryGenerator.RealHistoryError {
            await database.close()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
