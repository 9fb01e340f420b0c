/// An SMB logon: user, password and NTLM domain. `description` never shows the password.
public struct SMBAccount: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var password: String
    public var domain: String

    public init(user: String, password: String, domain: String = "") {
        self.user = user
        self.password = password
        self.domain = domain
    }

    /// Splits `DOMAIN\user` and `user@domain`; a bare name takes `defaultDomain`.
    public init(login: String, password: String, defaultDomain: String) {
        if let slash = login.firstIndex(of: "\\") {
            self.init(
                user: String(login[login.index(after: slash)...]), password: password, domain: String(login[..<slash]))
        } else if let at = login.lastIndex(of: "@") {
            self.init(user: String(login[..<at]), password: password, domain: String(login[login.index(after: at)...]))
        } else {
            self.init(user: login, password: password, domain: defaultDomain)
        }
    }

    public var description: String { domain.isEmpty ? user : "\(domain)\\\(user)" }
}
