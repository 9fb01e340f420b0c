import BackupMonitor
import Hummingbird
import Logging

/// Turns every error into the API's JSON error shape, so no caller ever sees an HTML page or an
/// empty 500. Unexpected errors are logged with the request and answered without their details,
/// which may hold internals.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let refusal as UseCaseError {
            return try APIError(refusal).response(from: request, context: context)
        } catch let error as HTTPError {
            var apiError = APIError(error.status, error.body ?? Self.defaultMessage(error.status, request))
            apiError.headers = error.headers
            return try apiError.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try APIError(error.status, Self.defaultMessage(error.status, request))
                .response(from: request, context: context)
        } catch is CancellationError {
            return try APIError(.serviceUnavailable, "the server is shutting down").response(
                from: request, context: context)
        } catch {
            context.logger.error(
                "request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return try APIError(.internalServerError, "internal error; the server log has the details")
                .response(from: request, context: context)
        }
    }

    private static func defaultMessage(_ status: HTTPResponse.Status, _ request: Request) -> String {
        switch status {
        case .notFound: "no such resource: \(request.method) \(request.uri.path)"
        case .contentTooLarge: "the request body is too large"
        case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path)"
        default: status.reasonPhrase
        }
    }
}

/// Headers every API answer carries: no sniffing, no caching of personal data, no framing.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        response.headers[FieldName("X-Frame-Options")!] = "DENY"
        response.headers[FieldName("Referrer-Policy")!] = "same-origin"
        return response
    }
}
