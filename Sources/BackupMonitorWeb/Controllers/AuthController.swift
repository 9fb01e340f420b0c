import BackupMonitor
import Foundation
import Hummingbird

/// Sign-in and sign-out (SPEC §11): bcrypt-checked passwords, a server-side session behind an
/// HttpOnly SameSite=Lax cookie, a CSRF token for the session's writes, and a login rate limit.
struct AuthController {
    let dependencies: AppDependencies

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .post, "/api/v1/auth/login", .anonymous,
                OperationDoc(
                    "login",
                    "Sign in. Sets the session cookie and answers with the CSRF token that cookie-authenticated "
                        + "writes must send as X-CSRF-Token (also in the readable bm_csrf cookie).",
                    tag: "Auth",
                    body: .json(
                        Schema.object(
                            [
                                "username": ["type": "string", "maxLength": 64],
                                "password": ["type": "string", "maxLength": 200],
                            ], required: ["username", "password"])),
                    success: (
                        200,
                        .json(
                            Schema.object([
                                "status": Schema.string, "user": Schema.ref("User"), "csrfToken": Schema.string,
                            ]))
                    ),
                    errors: [401, 415, 429]),
                handler: { request, context in try await login(request, context) }),
            Endpoint(
                .post, "/api/v1/auth/logout", .role(.viewer),
                OperationDoc("logout", "Sign out: ends this session and clears its cookies.", tag: "Auth"),
                handler: { _, context in try await logout(context) }),
            Endpoint(
                .get, "/api/v1/auth/me", .role(.viewer),
                OperationDoc(
                    "me", "Who is calling, with which role (and the session's CSRF token).", tag: "Auth",
                    success: (200, .json(Schema.object(["status": Schema.string, "user": Schema.ref("User")])))),
                handler: { _, context in try me(context) }),
            Endpoint(
                .post, "/api/v1/auth/password", .role(.viewer),
                OperationDoc(
                    "changePassword", "Change your own password; every session of yours ends.", tag: "Auth",
                    body: .json(
                        Schema.object(
                            ["currentPassword": Schema.string, "newPassword": ["type": "string", "minLength": 10]],
                            required: ["currentPassword", "newPassword"])),
                    errors: [415]),
                handler: { request, context in try await changePassword(request, context) }),
        ]
    }

    struct LoginBody: Decodable {
        var username: String
        var password: String
    }

    struct UserPayload: Encodable {
        var username: String
        var role: String
        var createdAt: String
        var updatedAt: String

        init(_ user: MonitorUser, timeZone: TimeZone) {
            username = user.username
            role = user.role.rawValue
            createdAt = ISO8601Text.format(user.createdAt, timeZone: timeZone)
            updatedAt = ISO8601Text.format(user.updatedAt, timeZone: timeZone)
        }
    }

    private struct LoginResult: Encodable {
        var status = "success"
        var user: UserPayload
        var csrfToken: String
        var expiresAt: String
    }

    private func login(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(LoginBody.self, request, context)
        if let problem = TextRule.problem(body.username, field: "username", maxLength: 64, allowEmpty: false) {
            throw UseCaseError.invalid(problem)
        }
        guard body.password.count <= 200 else {
            throw APIError.badRequest("password is longer than 200 characters", parameter: "password")
        }
        let address = context.remoteAddress ?? "unknown"
        let limiter = dependencies.loginLimiter
        if let wait = await limiter.retryAfter(address: address, username: body.username) {
            throw APIError(
                .tooManyRequests, "too many failed sign-ins; try again in \(wait) s",
                headers: [.retryAfter: String(wait)])
        }
        let user = try await dependencies.users.user(username: body.username)
        let hasher = dependencies.passwordHasher
        // An unknown name still costs one bcrypt check, so timing does not tell which names exist.
        let hash: String
        if let user { hash = user.passwordHash } else { hash = try await DummyHash.shared.value(hasher) }
        let valid = try await hasher.verify(body.password, hash: hash)
        guard let user, valid else {
            await limiter.recordFailure(address: address, username: body.username)
            dependencies.logger.notice(
                "sign-in failed", metadata: ["username": "\(body.username)", "address": "\(address)"])
            throw APIError(.unauthorized, "wrong user name or password")
        }
        await limiter.recordSuccess(address: address, username: body.username)
        let token = SecretToken.generate()
        let now = Date()
        let lifetime = dependencies.settings.sessionLifetime
        let expiresAt = now.addingTimeInterval(Double(lifetime.components.seconds))
        let session = StoredSession(
            tokenHash: SecretToken.hash(token), userID: user.id, csrfToken: SecretToken.generate(), createdAt: now,
            expiresAt: expiresAt)
        try await dependencies.sessions.insert(session)
        dependencies.logger.info("signed in", metadata: ["username": "\(user.username)", "address": "\(address)"])
        let timeZone = dependencies.configuration.timeZone
        var response = JSONResponse.make(
            LoginResult(
                user: UserPayload(user, timeZone: timeZone), csrfToken: session.csrfToken,
                expiresAt: ISO8601Text.format(expiresAt, timeZone: timeZone)))
        SessionCookies.signIn(
            &response, token: token, session: session,
            secure: SessionCookies.isSecure(request, dependencies.settings.cookieSecurity))
        return response
    }

    private func logout(_ context: MonitorRequestContext) async throws -> Response {
        if case .session(let session)? = context.principal?.credential {
            try await dependencies.sessions.delete(tokenHash: session.tokenHash)
        }
        var response = JSONResponse.make(["status": "success"])
        SessionCookies.signOut(&response)
        return response
    }

    private struct Me: Encodable {
        var status = "success"
        var user: UserPayload
        var role: String
        var authenticatedBy: String
        var csrfToken: String?
    }

    private func me(_ context: MonitorRequestContext) throws -> Response {
        guard let principal = context.principal else { throw APIError.unauthenticated }
        let by: String
        if case .token = principal.credential { by = "token" } else { by = "session" }
        return JSONResponse.make(
            Me(
                user: UserPayload(principal.user, timeZone: dependencies.configuration.timeZone),
                role: principal.role.rawValue, authenticatedBy: by, csrfToken: principal.csrfToken))
    }

    struct PasswordBody: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    private func changePassword(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        guard let principal = context.principal else { throw APIError.unauthenticated }
        let body = try await JSONBody.decode(PasswordBody.self, request, context)
        if let problem = PasswordRule.problem(with: body.newPassword) {
            throw APIError.badRequest("newPassword: \(problem)", parameter: "newPassword")
        }
        guard body.currentPassword.count <= 200,
            try await dependencies.passwordHasher.verify(body.currentPassword, hash: principal.user.passwordHash)
        else {
            throw APIError(.forbidden, "currentPassword is wrong", parameter: "currentPassword")
        }
        let hash = try await dependencies.passwordHasher.hash(body.newPassword)
        try await dependencies.users.setPasswordHash(hash, forUserID: principal.user.id)
        return JSONResponse.make(["status": "success", "message": "password changed; sign in again"])
    }
}

/// A bcrypt hash of nothing in particular, made once at the hasher's cost.
actor DummyHash {
    static let shared = DummyHash()
    private var hash: String?

    func value(_ hasher: PasswordHasher) async throws -> String {
        if let hash { return hash }
        let made = try await hasher.hash(SecretToken.generate())
        hash = made
        return made
    }
}
