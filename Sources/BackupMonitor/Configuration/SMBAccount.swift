import SMB2

/// An SMB logon: the SMB client's own credentials type, under the name the configuration uses.
public typealias SMBAccount = SMB2Credentials

extension SMB2Credentials {
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
}
