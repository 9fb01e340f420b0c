import Foundation

/// What a signed-in user or an API token may do (SPEC §11): each role includes the ones below it.
public enum UserRole: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Reads records, scans, outlets and reports.
    case viewer
    /// Also starts scans and re-syncs outlets.
    case `operator`
    /// Also manages outlets, users and settings.
    case admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: UserRole, rhs: UserRole) -> Bool { lhs.rank < rhs.rank }
}

/// A person who signs in to the monitor. The password is only ever held as a bcrypt hash.
public struct MonitorUser: Sendable, Hashable {
    public var id: String
    public var username: String
    public var passwordHash: String
    public var role: UserRole
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String = UUID().uuidString.lowercased(), username: String, passwordHash: String, role: UserRole,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
        self.role = role
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Problems with a user name, each a sentence; empty when valid. Names are kept to a
    /// conservative alphabet so they are safe in logs, cookies and URLs.
    public static func usernameProblems(_ username: String) -> [FieldProblem] {
        guard (1...64).contains(username.count) else {
            return [FieldProblem("username", "1 to 64 characters expected")]
        }
        guard
            username.unicodeScalars.allSatisfy({
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-@".unicodeScalars.contains($0))
            })
        else { return [FieldProblem("username", "only letters, digits, '.', '_', '-' and '@' are allowed")] }
        return []
    }
}
