import BackupMonitor

/// First start (SPEC §11): with no users at all, an `admin` is created whose password is
/// `ADMIN_PASSWORD`, or generated and handed back to be printed once.
public enum AdminBootstrap {
    public static let username = "admin"

    public static func ensureAdmin(_ dependencies: AppDependencies) async throws -> String? {
        guard try await dependencies.users.count() == 0 else { return nil }
        let generated = dependencies.settings.adminPassword == nil ? SecretToken.generate().prefix(20).description : nil
        let password = dependencies.settings.adminPassword ?? generated!
        let user = MonitorUser(
            username: username, passwordHash: try await dependencies.passwordHasher.hash(password), role: .admin)
        do {
            try await dependencies.users.create(user)
        } catch is DuplicateUserError {
            // Another instance created it at the same moment.
            return nil
        }
        dependencies.logger.notice("created the admin user", metadata: ["username": "\(username)"])
        return generated
    }
}
