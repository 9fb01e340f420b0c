import BackupMonitor
import Hummingbird

/// Finds who is calling (SPEC §11): an `Authorization: Bearer` API token, else the session
/// cookie. It refuses nothing by itself: a cookie-authenticated write without the session's
/// CSRF token simply carries no principal; each endpoint then checks the role it needs.
/// Scripts send the token in `X-CSRF-Token` (or, like Axios, `X-XSRF-TOKEN`: `SessionCookies`);
/// HTML forms, which cannot set headers, send it as the `_csrf` field of their urlencoded body.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = MonitorRequestContext
    let dependencies: AppDependencies

    static let sessionCookie = SessionCookies.session

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        var request = request
        var cookieSession: StoredSession?
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty, parts[1].count <= 200,
                let (token, user) = try await dependencies.tokens.authenticate(
                    tokenHash: SecretToken.hash(String(parts[1])))
            {
                context.principal = Principal(user: user, credential: .token(token))
            } else {
                context.credentialProblem = "the API token is unknown, revoked or expired"
            }
        } else if let value = request.cookies[Self.sessionCookie]?.value, !value.isEmpty, value.count <= 200 {
            if let (session, user) = try await dependencies.sessions.session(tokenHash: SecretToken.hash(value)) {
                var sent = SessionCookies.sentToken(request)
                if Self.isUnsafe(request.method), sent.isEmpty, FormBody.isForm(request) {
                    // Collecting keeps the body readable for the handler.
                    sent =
                        FormBody(buffer: try await request.collectBody(upTo: context.maxUploadSize)).raw("_csrf") ?? ""
                }
                if Self.isUnsafe(request.method), !SecretToken.constantTimeEquals(sent, session.csrfToken) {
                    // The write acts as anonymous: protected endpoints refuse it with 403, login still works.
                    context.csrfRejected = true
                } else {
                    context.principal = Principal(user: user, credential: .session(session))
                }
                cookieSession = session
            } else {
                context.credentialProblem = "the session has expired; sign in again"
            }
        }
        var response = try await next(request, context)
        if let cookieSession {
            SessionCookies.restoreAxiosCookie(
                &response, for: cookieSession, request: request,
                secure: SessionCookies.isSecure(request, dependencies.settings.cookieSecurity))
        }
        return response
    }

    static func isUnsafe(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }
}
