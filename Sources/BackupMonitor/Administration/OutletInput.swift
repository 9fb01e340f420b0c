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

    public init(
        code: String? = nil, host: String? = nil, port: Int? = nil, name: String? = nil, region: String? = nil,
        enabled: Bool? = nil, share: String? = nil, folder: String? = nil
    ) {
        self.code = code
        self.host = host
        self.port = port
        self.name = name
        self.region = region
        self.enabled = enabled
        self.share = share
        self.folder = folder
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
