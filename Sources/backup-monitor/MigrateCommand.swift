import ArgumentParser
import BackupMonitor

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Creates or upgrades the database schema (also done at every start).")

    func run() async throws {
        let context = try await CommandContext.open(label: "backup-monitor.migrate")
        print("database \(context.configuration.database) is up to date")
        await context.database.close()
    }
}
