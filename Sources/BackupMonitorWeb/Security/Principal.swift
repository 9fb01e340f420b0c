import BackupMonitor

/// Who a request acts for: a signed-in browser session or an API token (SPEC §11).
public struct Principal: Sendable {
    public enum Credential: Sendable {
        case session(StoredSession)
        case token(ApiToken)
    }

    public var user: MonitorUser
    public var credential: Credential

    /// A token acts with at most its own role and never more than its user's current role.
    public var role: UserRole {
        switch credential {
        case .session: user.role
        case .token(let token): min(token.role, user.role)
        }
    }

    /// Cookie-authenticated writes must carry this in `X-CSRF-Token`; nil for tokens.
    public var csrfToken: String? {
        if case .session(let session) = credential { return session.csrfToken }
        return nil
    }
}
