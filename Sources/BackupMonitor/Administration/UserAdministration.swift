/// Users and roles as an admin (or the CLI) changes them (SPEC §11). Two rules live here and
/// nowhere else: the monitor always keeps an admin, and nobody deletes the account they act
/// with. Each check runs in the same exclusive transaction as the change it guards, so two
/// admins demoting each other at once cannot leave none.
public struct UserAdministration: Sendable {
    public let users: UserRepository
    public let hasher: any PasswordHashing

    public init(database: MonitorDatabase, hasher: any PasswordHashing) {
        users = UserRepository(database: database)
        self.hasher = hasher
    }

    public func all() async throws -> [MonitorUser] {
        try await users.all()
    }

    /// Adds a user; a taken name is a conflict.
    public func add(username: String, password: String, role: UserRole) async throws -> MonitorUser {
        if let problem = MonitorUser.usernameProblems(username).first { throw UseCaseError.invalid(problem) }
        try PasswordRule.check(password)
        let user = MonitorUser(username: username, passwordHash: try await hasher.hash(password), role: role)
        do {
            try await users.create(user)
        } catch let error as DuplicateUserError {
            throw UseCaseError.conflict(error.description, field: "username")
        }
        return user
    }

    /// Changes a user's role and/or password (a new password ends their sessions).
    public func update(username: String, role: UserRole?, password: String?) async throws -> MonitorUser {
        if let password { try PasswordRule.check(password) }
        // Hashing takes a quarter second: done before the transaction, which stays short.
        let hash: String? = if let password { try await hasher.hash(password) } else { nil }
        return try await users.locked { locked in
            guard var user = try await locked.user(username: username) else { throw Self.missing(username) }
            if let role, role != .admin, user.role == .admin, try await locked.adminCount() <= 1 {
                throw UseCaseError.conflict("\(username) is the last admin and cannot be demoted", field: "role")
            }
            if let role, role != user.role {
                try await locked.setRole(role, forUserID: user.id)
                user.role = role
            }
            if let hash {
                try await locked.setPasswordHash(hash, forUserID: user.id)
                user.passwordHash = hash
            }
            return user
        }
    }

    /// Deletes a user with their sessions and tokens. `actingUsername` is who asks (nil for the
    /// CLI, which acts as no account): nobody deletes themself, and the last admin stays.
    public func delete(username: String, actingUsername: String?) async throws {
        if username == actingUsername {
            throw UseCaseError.conflict("you cannot delete yourself; another admin can", field: "username")
        }
        try await users.locked { locked in
            guard let user = try await locked.user(username: username) else { throw Self.missing(username) }
            if user.role == .admin, try await locked.adminCount() <= 1 {
                throw UseCaseError.conflict("\(username) is the last admin and cannot be deleted", field: "username")
            }
            try await locked.delete(id: user.id)
        }
    }

    static func missing(_ username: String) -> UseCaseError { .notFound("no user \(username)", field: "username") }
}
