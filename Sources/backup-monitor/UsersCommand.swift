import ArgumentParser
import BackupMonitor
import BackupMonitorWeb
import Foundation

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manages the users who sign in to the web UI and API.",
        subcommands: [AddUser.self, SetPassword.self, ListUsers.self])

    struct AddUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Adds a user; the password is asked for, or read from stdin.")

        @Argument(help: "User name.") var username: String
        @Option(help: "viewer, operator or admin.") var role: UserRole = .viewer

        func run() async throws {
            if let problem = MonitorUser.usernameProblems(username).first {
                CommandOutput.error(problem)
                throw ExitCode(2)
            }
            let password = try PasswordInput.read()
            let context = try await CommandContext.open(label: "backup-monitor.users")
            let user = MonitorUser(
                username: username, passwordHash: try await PasswordHasher().hash(password), role: role)
            do {
                try await UserRepository(database: context.database).create(user)
            } catch let error as DuplicateUserError {
                await context.database.close()
                CommandOutput.error(error.description)
                throw ExitCode(1)
            }
            await context.database.close()
            print("added \(username) (\(role.rawValue))")
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passwd", abstract: "Sets a user's password and ends their sessions.")

        @Argument(help: "User name.") var username: String

        func run() async throws {
            let password = try PasswordInput.read()
            let context = try await CommandContext.open(label: "backup-monitor.users")
            let users = UserRepository(database: context.database)
            guard let user = try await users.user(username: username) else {
                await context.database.close()
                CommandOutput.error("no user \(username)")
                throw ExitCode(1)
            }
            try await users.setPasswordHash(try await PasswordHasher().hash(password), forUserID: user.id)
            await context.database.close()
            print("password of \(username) changed")
        }
    }

    struct ListUsers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Lists users and roles.")

        func run() async throws {
            let context = try await CommandContext.open(label: "backup-monitor.users")
            let users = try await UserRepository(database: context.database).all()
            await context.database.close()
            let zone = context.configuration.timeZone
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
        if let problem = PasswordHasher.problem(with: password) {
            CommandOutput.error("password: \(problem)")
            throw ExitCode(2)
        }
        return password
    }
}
