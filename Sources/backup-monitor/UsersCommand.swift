import ArgumentParser
import BackupMonitor
import BackupMonitorWeb
import Foundation

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manages the users who sign in to the web UI and API.",
        discussion: "The rules are the web UI's: the last admin can be neither demoted nor deleted.",
        subcommands: [AddUser.self, SetPassword.self, SetRole.self, DeleteUser.self, ListUsers.self])

    static func administration(_ context: CommandContext) -> UserAdministration {
        UserAdministration(database: context.database, hasher: PasswordHasher())
    }

    struct AddUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Adds a user; the password is asked for, or read from stdin.")

        @Argument(help: "User name.") var username: String
        @Option(help: "viewer, operator or admin.") var role: UserRole = .viewer

        func run() async throws {
            if let problem = MonitorUser.usernameProblems(username).first {
                CommandOutput.error(problem.description)
                throw ExitCode(2)
            }
            let password = try PasswordInput.read()
            try await CommandContext.run(label: "backup-monitor.users") { context in
                _ = try await administration(context).add(username: username, password: password, role: role)
            }
            print("added \(username) (\(role.rawValue))")
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passwd", abstract: "Sets a user's password and ends their sessions.")

        @Argument(help: "User name.") var username: String

        func run() async throws {
            let password = try PasswordInput.read()
            try await CommandContext.run(label: "backup-monitor.users") { context in
                _ = try await administration(context).update(username: username, role: nil, password: password)
            }
            print("password of \(username) changed")
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "role", abstract: "Changes a user's role (the last admin cannot be demoted).")

        @Argument(help: "User name.") var username: String
        @Argument(help: "viewer, operator or admin.") var role: UserRole

        func run() async throws {
            try await CommandContext.run(label: "backup-monitor.users") { context in
                _ = try await administration(context).update(username: username, role: role, password: nil)
            }
            print("role of \(username) is now \(role.rawValue)")
        }
    }

    struct DeleteUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete", abstract: "Deletes a user with their sessions and tokens (not the last admin).")

        @Argument(help: "User name.") var username: String

        func run() async throws {
            try await CommandContext.run(label: "backup-monitor.users") { context in
                try await administration(context).delete(username: username, actingUsername: nil)
            }
            print("deleted \(username)")
        }
    }

    struct ListUsers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Lists users and roles.")

        func run() async throws {
            let (users, zone) = try await CommandContext.run(label: "backup-monitor.users") { context in
                (try await administration(context).all(), context.configuration.timeZone)
            }
            print(
                TextTable.render(
                    header: ["USERNAME", "ROLE", "CREATED"],
                    rows: users.map {
                        [$0.username, $0.role.rawValue, ISO8601Text.format($0.createdAt, timeZone: zone)]
                    }),
                terminator: "")
        }
    }
}

extension UserRole: ExpressibleByArgument {}

/// A new password: asked twice without echo on a terminal, else one line from stdin (scripts).
enum PasswordInput {
    static func read() throws -> String {
        let password: String
        if isatty(STDIN_FILENO) != 0 {
            let first = String(cString: getpass("Password: "))
            let second = String(cString: getpass("Again: "))
            guard first == second else {
                CommandOutput.error("the passwords differ")
                throw ExitCode(2)
            }
            password = first
        } else {
            password = readLine(strippingNewline: true) ?? ""
        }
        if let problem = PasswordRule.problem(with: password) {
            CommandOutput.error("password: \(problem)")
            throw ExitCode(2)
        }
        return password
    }
}
