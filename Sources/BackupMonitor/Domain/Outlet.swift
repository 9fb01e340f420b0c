/// One outlet server the monitor checks (SPEC §2). `code` is the record key.
public struct Outlet: Sendable, Hashable, Codable {
    public var code: String
    /// DNS name or IP address; defaults to the code.
    public var host: String
    public var port: Int
    public var name: String
    public var region: String
    public var enabled: Bool
    /// Per-outlet override of `SHARE` (D-Drive).
    public var shareOverride: String?
    /// Per-outlet override of `FOLDER` (D-Drive) and `IB_STORAGE_FOLDER`.
    public var folderOverride: String?
    /// The IBSTORAGE share where the folder was found last time, tried first next time.
    public var lastIBStorageDrive: String?

    public init(
        code: String, host: String? = nil, port: Int = 445, name: String = "", region: String = "",
        enabled: Bool = true, shareOverride: String? = nil, folderOverride: String? = nil,
        lastIBStorageDrive: String? = nil
    ) {
        self.code = code
        self.host = host ?? code
        self.port = port
        self.name = name
        self.region = region
        self.enabled = enabled
        self.shareOverride = shareOverride
        self.folderOverride = folderOverride
        self.lastIBStorageDrive = lastIBStorageDrive
    }

    /// Problems that make an outlet unusable, each naming its field; empty when valid. The one
    /// rule for outlets, whoever writes them: the API, the Settings page, a CSV import or the CLI.
    public var validationProblems: [FieldProblem] {
        var problems: [FieldProblem] = []
        if code.isEmpty || code.count > 64 || !code.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) {
            problems.append(FieldProblem("code", "1 to 64 letters, digits, '-', '_' or '.' expected"))
        }
        if host.isEmpty || host.count > 253
            || host.unicodeScalars.contains(where: {
                $0.properties.isWhitespace || $0.properties.generalCategory == .control
                    || "/\\".unicodeScalars.contains($0)
            })
        {
            problems.append(FieldProblem("host", "a DNS name or IP address expected"))
        }
        if !(1...65535).contains(port) { problems.append(FieldProblem("port", "1 to 65535 expected")) }
        for (field, value, limit) in [
            ("name", name, 200), ("region", region, 100), ("share", shareOverride ?? "", 80),
            ("folder", folderOverride ?? "", 260),
        ] {
            if let problem = TextRule.problem(value, field: field, maxLength: limit) { problems.append(problem) }
        }
        return problems
    }
}
