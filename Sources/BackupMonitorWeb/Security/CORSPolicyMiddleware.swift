import Hummingbird

/// `CORS_ORIGINS` (SPEC §9): browsers on these origins may call the API, with credentials;
/// any other origin gets no CORS headers, so the browser keeps the answer from its script.
struct CORSPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowedOrigins: Set<String>

    init(origins: [String]) {
        allowedOrigins = Set(origins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let origin = request.headers[.origin], allowedOrigins.contains(origin) || allowedOrigins.contains("*")
        else {
            return try await next(request, context)
        }
        var response: Response
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            response.headers[.accessControlAllowHeaders] =
                "Authorization, Content-Type, X-CSRF-Token, X-XSRF-TOKEN, X-Requested-With, Last-Event-ID"
            response.headers[.accessControlMaxAge] = "600"
        } else {
            response = try await next(request, context)
        }
        // A wildcard entry still echoes the origin: `*` is not allowed together with credentials.
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.accessControlAllowCredentials] = "true"
        response.headers[values: .vary].append("Origin")
        return response
    }
}
