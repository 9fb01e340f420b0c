import BackupMonitor
import Hummingbird

/// Who may call an endpoint (SPEC §11).
public enum Access: Sendable, Hashable {
    /// Login, health and metrics only.
    case anonymous
    /// A signed-in user or API token with at least this role.
    case role(UserRole)

    func check(_ context: MonitorRequestContext) throws {
        guard case .role(let needed) = self else { return }
        guard let principal = context.principal else {
            if context.csrfRejected {
                throw APIError(
                    .forbidden, "cookie-authenticated writes need the X-CSRF-Token header from sign-in",
                    parameter: "X-CSRF-Token")
            }
            var error = APIError.unauthenticated
            if let problem = context.credentialProblem { error.message = problem }
            throw error
        }
        guard principal.role >= needed else {
            throw APIError(
                .forbidden,
                "this needs the \(needed.rawValue) role; \(principal.user.username) acts as \(principal.role.rawValue)")
        }
    }
}

/// One route: method, path (OpenAPI `{name}` syntax, which the router also reads), who may
/// call it, its documentation, and its handler. Controllers expose lists of these, the router
/// registers them, and the OpenAPI document is built from the same list, so the two cannot drift.
public struct Endpoint: Sendable {
    public typealias Handler = @Sendable (Request, MonitorRequestContext) async throws -> Response

    public var method: HTTPRequest.Method
    public var path: String
    public var access: Access
    public var doc: OperationDoc
    public var handler: Handler

    public init(
        _ method: HTTPRequest.Method, _ path: String, _ access: Access, _ doc: OperationDoc,
        handler: @escaping Handler
    ) {
        self.method = method
        self.path = path
        self.access = access
        self.doc = doc
        self.handler = handler
    }
}

extension Router where Context == MonitorRequestContext {
    /// Registers `endpoints`, each behind its access check.
    func register(_ endpoints: [Endpoint]) {
        for endpoint in endpoints {
            on(RouterPath(endpoint.path), method: endpoint.method) { request, context in
                try endpoint.access.check(context)
                return try await endpoint.handler(request, context)
            }
        }
    }
}
