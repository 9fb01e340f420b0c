import ArgumentParser
import BackupMonitor
import BackupMonitorWeb
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serves the API (and web UI) on LISTEN_HOST:LISTEN_PORT until SIGTERM or SIGINT.",
        discussion: """
            At start: settings are validated (exit 2 naming the variable), the database is migrated, scans a
            dead process left running are marked interrupted, the per-outlet passwords are checked against
            SECRET_KEY or SECRET_KEY_FILE (created with mode 0600 if missing), and with no users yet an `admin` user is created
            with ADMIN_PASSWORD, or a generated password printed once on stderr.
            """)

    func run() async throws {
        let context = try await CommandContext.open(label: "backup-monitor.serve")
        let configuration = context.configuration
        let logFile = ScanLogFile(directory: configuration.logDirectory, timeZone: configuration.timeZone)
        let coordinator = ScanCoordinator(
            configuration: configuration, database: context.database,
            logFile: logFile, logger: context.logger)
        let dependencies: AppDependencies
        do {
            dependencies = try AppDependencies(
                configuration: configuration, database: context.database, coordinator: coordinator,
                logger: context.logger)
        } catch {
            await context.database.close()
            CommandOutput.error("\(error)")
            throw ExitCode(2)
        }
        do {
            // A wrong or missing key stops here, naming the variable, instead of failing scans later;
            // on a first start this creates the key file.
            try await dependencies.credentials.verifyKey()
        } catch {
            await context.database.close()
            CommandOutput.error("\(error)")
            throw ExitCode(2)
        }
        if let password = try await prepareDatabase(dependencies) {
            FileHandle.standardError.write(
                Data(
                    """
                    Created the user "\(AdminBootstrap.username)" with the password: \(password)
                    It is shown this once; change it after signing in (or set ADMIN_PASSWORD before the first start).

                    """.utf8))
        }
        let host = configuration.listenHost
        let logger = context.logger
        let application = buildApplication(dependencies) { port in
            let shownHost = host.contains(":") ? "[\(host)]" : host
            logger.notice(
                "serving", metadata: ["url": "http://\(shownHost):\(port)/", "database": "\(configuration.database)"])
        }
        do {
            try await application.runService()
        } catch {
            CommandOutput.error("the server stopped: \(error)")
            await logFile.close()
            await context.database.close()
            throw ExitCode(1)
        }
        await logFile.close()
        await context.database.close()
        logger.notice("stopped")
    }
}
