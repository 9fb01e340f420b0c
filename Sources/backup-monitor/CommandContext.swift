import ArgumentParser
import BackupMonitor
import Foundation
import Logging

/// What every database-backed command needs: validated settings, logging and the database.
struct CommandContext {
    var configuration: MonitorConfiguration
    var logger: Logger
    var database: MonitorDatabase

    /// Loads settings (exit 2 naming the variable when invalid) and opens the migrated database.
    static func open(label: String) async throws -> CommandContext {
        let configuration = try await loadConfiguration()
        LoggingSystem.bootstrapOnce(level: configuration.logLevel)
        let logger = Logger(label: label)
        if case .sqlite(let path) = configuration.database {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        do {
            let database = try await MonitorDatabase.open(configuration.database, logger: logger)
            return CommandContext(configuration: configuration, logger: logger, database: database)
        } catch {
            CommandOutput.error("cannot open the database \(configuration.database): \(String(reflecting: error))")
            throw ExitCode(2)
        }
    }

    static func loadConfiguration() async throws -> MonitorConfiguration {
        do {
            return try await MonitorConfiguration.load()
        } catch {
            CommandOutput.error("\(error)")
            throw ExitCode(2)
        }
    }
}

enum CommandOutput {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}

extension LoggingSystem {
    /// Structured logs on stderr, so stdout stays clean for tables, JSON and CSV.
    static func bootstrapOnce(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
