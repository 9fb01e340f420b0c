/// An outlet as a front-end received it (an API body, a Settings form): every field optional,
/// validated into an `Outlet` by the one rule of `Outlet.validationProblems`.
public struct OutletInput: Sendable, Hashable, Decodable {
    public var code: String?
    public var host: String?
    public var port: Int?
    public var name: String?
    public var region: String?
    public var enabled: Bool?
    public var share: String?
    public var folder: String?
    /// Per-outlet credentials (SPEC §2): write-only. Left out, they stay as they are; a user
    /// and password set the override; both empty remove it. IBSTORAGE defaults to D-Drive's.
    public var username: String?
    public var password: String?
    public var ibstorageUsername: String?
    public var ibstoragePassword: String?

    public init(
        code: String? = nil, host: String? = nil, port: Int? = nil, name: String? = nil, region: String? = nil,
        enabled: Bool? = nil, share: String? = nil, folder: String? = nil, username: String? = nil,
        password: String? = nil, ibstorageUsername: String? = nil, ibstoragePassword: String? = nil
    ) {
        self.username = username
        self.password = password
        self.ibstorageUsername = ibstorageUsername
        self.ibstoragePassword = ibstoragePassword
        self.code = code
        self.host = host
        self.port = port
        self.name = name
        self.region = region
        self.enabled = enabled
        self.share = share
        self.folder = folder
    }

    /// The credential changes this input asks for: none for the modes it leaves out.
    public var credentialChanges: [OutletCredentials.Change] {
        var changes: [OutletCredentials.Change] = []
        if username != nil || password != nil {
            changes.append(.init(mode: .ddrive, login: username, password: password))
        }
        if ibstorageUsername != nil || ibstoragePassword != nil {
            changes.append(.init(mode: .ibstorage, login: ibstorageUsername, password: ibstoragePassword))
        }
        return changes
    }

    /// The outlet this input describes; `pathCode` is the code a URL names, which the body's
    /// code (if any) must match. Fields left out take their defaults; what the scanner learnt
    /// (the last IBSTORAGE drive) is kept from `existing`.
    func outlet(code pathCode: String?, keeping existing: Outlet?) throws(UseCaseError) -> Outlet {
        if let pathCode, let code, code != pathCode {
            throw .invalid("code \(code) differs from the path's \(pathCode)", field: "code")
        }
        guard let code = pathCode ?? code, !code.isEmpty else { throw .invalid("code is required", field: "code") }
        let outlet = Outlet(
            code: code, host: host.flatMap { $0.isEmpty ? nil : $0 }, port: port ?? 445, name: name ?? "",
            region: region ?? "", enabled: enabled ?? true, shareOverride: share.flatMap { $0.isEmpty ? nil : $0 },
            folderOverride: folder.flatMap { $0.isEmpty ? nil : $0 }, lastIBStorageDrive: existing?.lastIBStorageDrive)
        if let problem = outlet.validationProblems.first { throw .invalid(problem) }
        return outlet
    }
}
