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

    /// Opens the context, runs `body`, and closes the database whatever happens. A use case's
    /// refusal is the CLI's one rendering of `UseCaseError`: the sentence and its details on
    /// stderr, exit status 2 (the command could not do what was asked; 1 is a scan's "some
    /// outlets failed").
    static func run<T>(label: String, _ body: (CommandContext) async throws -> T) async throws -> T {
        let context = try await open(label: label)
        do {
            let result = try await body(context)
            await context.database.close()
            return result
        } catch let refusal as UseCaseError {
            await context.database.close()
            CommandOutput.error(refusal.description)
            throw ExitCode(2)
        } catch {
            await context.database.close()
            throw error
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
