/// A user name, password and domain for NTLMv2 authentication.
///
/// `description` never prints the password, so credentials can be logged by accident safely.
public struct SMB2Credentials: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var password: String
    /// The NetBIOS domain or workgroup; empty lets the server use its own.
    public var domain: String

    public init(user: String, password: String, domain: String = "") {
        self.user = user
        self.password = password
        self.domain = domain
    }

    public var description: String {
        domain.isEmpty ? "\(user) (password hidden)" : "\(domain)\\\(user) (password hidden)"
    }
}
