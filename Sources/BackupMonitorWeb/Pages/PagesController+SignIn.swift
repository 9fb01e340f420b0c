import BackupMonitor
import Foundation
import Hummingbird

/// Sign-in and sign-out as HTML forms (SPEC §11). The session is the same as the API's
/// (`bm_session` + CSRF token); the form itself carries a token that must match a short-lived
/// pre-session cookie, so another site cannot sign a browser in to an account of its choosing.
extension PagesController {
    static let loginCookie = "bm_login"

    func loginForm(_ request: Request) async throws -> Response {
        try loginForm(request, next: Self.localReturn(try QueryReader.page(request).string("next", maxLength: 2000)))
    }

    func loginForm(
        _ request: Request, next: String?, username: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let token = SecretToken.generate()
        var response = PageResponse.html(
            LoginView(username: username, next: next, error: error, formToken: token).html, status: status)
        response.setCookie(
            Cookie(
                name: Self.loginCookie, value: token, maxAge: 3600, path: SiteURL.login.path,
                secure: SessionCookies.isSecure(request, dependencies.settings.cookieSecurity), httpOnly: true,
                sameSite: .strict))
        return response
    }

    func login(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        guard FormBody.isForm(request) else {
            throw APIError(.unsupportedMediaType, "Sign in with the form.", parameter: "Content-Type")
        }
        let form = try await FormBody.read(request, context)
        let username = form.value("username") ?? ""
        let password = form.raw("password") ?? ""
        let next = Self.localReturn(form.value("next"))
        let cookie = request.cookies[Self.loginCookie]?.value ?? ""
        guard !cookie.isEmpty, SecretToken.constantTimeEquals(cookie, form.value("_login") ?? "") else {
            return try loginForm(
                request, next: next, username: username, error: "The sign-in form had expired; please sign in again.",
                status: .forbidden)
        }
        guard !username.isEmpty, username.count <= 64, !password.isEmpty, password.count <= 200 else {
            return try loginForm(
                request, next: next, username: username, error: "Enter your user name and password.",
                status: .badRequest)
        }
        let address = context.remoteAddress ?? "unknown"
        let limiter = dependencies.loginLimiter
        if let wait = await limiter.retryAfter(address: address, username: username) {
            var response = try loginForm(
                request, next: next, username: username,
                error: "Too many failed sign-ins. Try again in \(wait) seconds.",
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        let user = try await dependencies.users.user(username: username)
        let hasher = dependencies.passwordHasher
        // An unknown name costs one bcrypt check too, so timing does not tell which names exist.
        let hash: String
        if let user { hash = user.passwordHash } else { hash = try await DummyHash.shared.value(hasher) }
        let valid = try await hasher.verify(password, hash: hash)
        guard let user, valid else {
            await limiter.recordFailure(address: address, username: username)
            dependencies.logger.notice(
                "sign-in failed", metadata: ["username": "\(username)", "address": "\(address)", "via": "form"])
            return try loginForm(
                request, next: next, username: username, error: "Wrong user name or password.", status: .unauthorized)
        }
        await limiter.recordSuccess(address: address, username: username)
        let token = SecretToken.generate()
        let now = Date()
        let lifetime = dependencies.settings.sessionLifetime
        let session = StoredSession(
            tokenHash: SecretToken.hash(token), userID: user.id, csrfToken: SecretToken.generate(), createdAt: now,
            expiresAt: now.addingTimeInterval(Double(lifetime.components.seconds)))
        try await dependencies.sessions.insert(session)
        dependencies.logger.info(
            "signed in", metadata: ["username": "\(user.username)", "address": "\(address)", "via": "form"])
        var response = PageResponse.redirect(next ?? SiteURL.dashboard.path)
        let secure = SessionCookies.isSecure(request, dependencies.settings.cookieSecurity)
        SessionCookies.signIn(&response, token: token, session: session, secure: secure)
        response.setCookie(
            Cookie(
                name: Self.loginCookie, value: "", maxAge: 0, path: SiteURL.login.path, secure: secure, httpOnly: true))
        return response
    }

    func logout(_ context: MonitorRequestContext) async throws -> Response {
        if case .session(let session)? = context.principal?.credential {
            try await dependencies.sessions.delete(tokenHash: session.tokenHash)
        }
        var response = PageResponse.redirect(SiteURL.login.path)
        SessionCookies.signOut(&response)
        return response
    }
}
