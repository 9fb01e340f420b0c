/// Turns a password into the hash that is stored (bcrypt, SPEC §11). The web module provides it:
/// the use cases only need the hash, not how it is made.
public protocol PasswordHashing: Sendable {
    func hash(_ password: String) async throws -> String
}

/// The rule for new passwords, wherever they are set: a user added or changed by an admin, one's
/// own change, `ADMIN_PASSWORD`, the CLI.
public enum PasswordRule {
    /// The sentence that says what is wrong, nil when acceptable.
    public static func problem(with password: String) -> String? {
        if password.count < 10 { return "at least 10 characters expected" }
        if password.utf8.count > 72 { return "at most 72 bytes (bcrypt ignores the rest)" }
        return nil
    }

    static func check(_ password: String, field: String = "password") throws(UseCaseError) {
        if let problem = problem(with: password) { throw .invalid(FieldProblem(field, problem)) }
    }
}
