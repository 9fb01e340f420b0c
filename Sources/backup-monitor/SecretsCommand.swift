import ArgumentParser
import BackupMonitor
import Foundation

struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Manages the key that seals per-outlet SMB passwords.",
        subcommands: [Rotate.self, Check.self])

    static func credentials(_ context: CommandContext) -> OutletCredentials {
        OutletCredentials(
            database: context.database, key: context.configuration.secretKey,
            defaultDomain: context.configuration.smbDomain)
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "Checks that every sealed password opens with the configured key.")

        func run() async throws {
            let count = try await CommandContext.run(label: "backup-monitor.secrets") { context in
                let credentials = SecretsCommand.credentials(context)
                try await SecretsCommand.verify(credentials)
                return try await credentials.repository.all().count
            }
            print("\(count) sealed password\(count == 1 ? "" : "s") open with the configured key")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Re-seals every per-outlet password under a new key, in one transaction.",
            discussion: """
                With SECRET_KEY_FILE (the default), a new random key replaces the file once the database holds \
                the passwords sealed under it; restart `serve` afterwards. With SECRET_KEY, give the new key in \
                NEW_SECRET_KEY (64 hex digits: openssl rand -hex 32); the passwords are re-sealed under it, and \
                SECRET_KEY must then be changed to it before the next start.
                """)

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let count = try await CommandContext.run(label: "backup-monitor.secrets") { context in
                let credentials = SecretsCommand.credentials(context)
                try await SecretsCommand.verify(credentials)
                switch context.configuration.secretKey {
                case .value:
                    guard let text = environment["NEW_SECRET_KEY"], let key = SecretKeySource.parse(text) else {
                        CommandOutput.error(
                            "NEW_SECRET_KEY: expected the new key as 64 hex digits or base64 of 32 bytes, "
                                + "since the current key comes from SECRET_KEY")
                        throw ExitCode(2)
                    }
                    return try await credentials.rotate(to: try SecretKeySource.value(key).box())
                case .file(let path):
                    // The new key is written beside the old first: if the database refuses the new
                    // seals, the old file still opens everything; once they are stored, it replaces it.
                    let newText = SecretKeySource.newKeyText()
                    let staged = path + ".rotating"
                    try SecretKeySource.write(newText, to: staged)
                    let newBox = try SecretKeySource.file(staged).box()
                    do {
                        let count = try await credentials.rotate(to: newBox)
                        guard rename(staged, path) == 0 else {
                            CommandOutput.error(
                                "the passwords are sealed under the new key in \(staged), but it could not replace "
                                    + "\(path): move it there by hand before the next start")
                            throw ExitCode(1)
                        }
                        return count
                    } catch {
                        unlink(staged)
                        throw error
                    }
                }
            }
            print("re-sealed \(count) password\(count == 1 ? "" : "s") under the new key")
        }
    }

    /// A key that does not open the stored passwords is a configuration error: exit 2, naming it.
    static func verify(_ credentials: OutletCredentials) async throws {
        do {
            try await credentials.verifyKey()
        } catch let error as ConfigurationError {
            CommandOutput.error("\(error)")
            throw ExitCode(2)
        }
    }
}
