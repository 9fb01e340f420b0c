import ArgumentParser
import BackupMonitor
import Foundation
import SMB2

struct SMBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smb", abstract: "Talks SMB to one outlet, to diagnose it.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "Lists a folder on an outlet and shows what was negotiated.",
            discussion: """
                Example: backup-monitor smb ls //10.1.2.3/d$/BackupFull -U 'CORP\\backup'
                The password comes from SMB_PASSWORD, else it is asked for on the terminal.
                """)

        @Argument(help: "//HOST[:PORT]/SHARE[/PATH]") var target: String
        @Option(name: .customShort("U"), help: "User: name, DOMAIN\\name or name@domain.") var user: String
        @Option(help: "Seconds to wait for the TCP connection.") var connectTimeout: Double = 5
        @Option(help: "Seconds to wait for each reply.") var requestTimeout: Double = 10

        func run() async throws {
            guard let location = SMBLocation(target) else {
                CommandOutput.error("expected //HOST[:PORT]/SHARE[/PATH], got \(target)")
                throw ExitCode(2)
            }
            let password = try Self.password()
            let account = SMBAccount(login: user, password: password, defaultDomain: "")
            var configuration = SMB2ClientConfiguration()
            configuration.connectTimeout = .milliseconds(Int64(connectTimeout * 1000))
            configuration.requestTimeout = .milliseconds(Int64(requestTimeout * 1000))
            let client = SMB2Client(configuration: configuration)
            let clock = ContinuousClock()
            let start = clock.now
            do {
                let (negotiated, entries) = try await client.withSession(
                    host: location.host, port: location.port,
                    credentials: account
                ) { session in
                    (session.negotiated, try await session.listDirectory(share: location.share, path: location.path))
                }
                let elapsed = start.duration(to: clock.now)
                print("negotiated: \(negotiated)")
                let rows = entries.sorted { $0.name < $1.name }.map { entry in
                    [
                        entry.isDirectory ? "<DIR>" : String(entry.endOfFile),
                        ISO8601Text.format(entry.lastWriteTime.date, timeZone: .current), entry.name,
                    ]
                }
                print(TextTable.render(header: ["SIZE", "LAST WRITE", "NAME"], rows: rows), terminator: "")
                print("\(entries.count) entries in \(String(format: "%.3f", Double(elapsed.milliseconds) / 1000)) s")
            } catch let error as SMB2Error {
                let classified = SMBFolderSource.classify(error, share: location.share, folder: location.path)
                CommandOutput.error("\(classified.kind.rawValue): \(classified.message)")
                throw ExitCode(1)
            }
        }

        static func password() throws -> String {
            if let password = ProcessInfo.processInfo.environment["SMB_PASSWORD"] { return password }
            guard isatty(STDIN_FILENO) != 0, let typed = getpass("Password: ") else {
                CommandOutput.error("set SMB_PASSWORD or run on a terminal to be asked for the password")
                throw ExitCode(2)
            }
            return String(cString: typed)
        }
    }
}

/// `//host[:port]/share/path/inside` split into its parts; backslashes are accepted too.
struct SMBLocation: Equatable {
    var host: String
    var port: Int
    var share: String
    var path: String

    init?(_ text: String) {
        let normalized = text.replacingOccurrences(of: "\\", with: "/")
        guard normalized.hasPrefix("//") else { return nil }
        let parts = normalized.dropFirst(2).split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 2 else { return nil }
        let hostPort = parts[0].split(separator: ":", maxSplits: 1).map(String.init)
        host = hostPort[0]
        if hostPort.count == 2 {
            guard let port = Int(hostPort[1]), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            port = 445
        }
        share = parts[1]
        path = parts.dropFirst(2).joined(separator: "\\")
    }
}
