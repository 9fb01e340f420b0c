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

    /// Problems that make an outlet unusable, each naming its field; empty when valid.
    public var validationProblems: [String] {
        var problems: [String] = []
        if code.isEmpty || code.count > 64 || !code.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) {
            problems.append("code: 1 to 64 letters, digits, '-', '_' or '.' expected")
        }
        if host.isEmpty || host.count > 253 || host.contains(where: { $0.isWhitespace || "/\\".contains($0) }) {
            problems.append("host: a DNS name or IP address expected")
        }
        if !(1...65535).contains(port) { problems.append("port: 1 to 65535 expected") }
        if name.count > 200 { problems.append("name: at most 200 characters") }
        if region.count > 100 { problems.append("region: at most 100 characters") }
        return problems
    }
}
