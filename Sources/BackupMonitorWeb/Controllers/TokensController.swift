import BackupMonitor
import Foundation
import Hummingbird

/// API tokens for scripts (SPEC §11): random, shown once at creation, stored as a SHA-256
/// hash. Everyone manages their own; admins see and revoke everyone's.
struct TokensController {
    let dependencies: AppDependencies

    /// Tokens start with this, so a leaked one is easy to recognise in a secret scanner.
    static let prefix = "bmt_"

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, "/api/v1/tokens", .role(.viewer),
                OperationDoc(
                    "listTokens", "Your API tokens (an admin sees everyone's); never the token text itself.",
                    tag: "Tokens",
                    success: (
                        200, .json(Schema.object(["status": Schema.string, "data": Schema.array(Schema.ref("Token"))]))
                    )),
                handler: { _, context in try await list(context) }),
            Endpoint(
                .post, "/api/v1/tokens", .role(.viewer),
                OperationDoc(
                    "createToken", "Create an API token; the answer holds the token, shown this once only.",
                    tag: "Tokens",
                    body: .json(
                        Schema.object(
                            [
                                "name": ["type": "string", "minLength": 1, "maxLength": 100],
                                "role": Schema.enumeration(UserRoleNames.all),
                                "expiresInDays": Schema.integer(1, 3650),
                            ], required: ["name"])),
                    success: (201, .json(Schema.ref("Token"))), errors: [415]),
                handler: { request, context in try await create(request, context) }),
            Endpoint(
                .delete, "/api/v1/tokens/{id}", .role(.viewer),
                OperationDoc(
                    "revokeToken", "Revoke an API token.", tag: "Tokens",
                    parameters: [.path("id", Schema.uuid, "Token id.")], errors: [404]),
                handler: { _, context in try await revoke(context) }),
        ]
    }

    private struct TokenPayload: Encodable {
        var id: String
        var name: String
        var role: String
        var username: String
        var createdAt: String
        var expiresAt: String?
        var lastUsedAt: String?
        var token: String?
    }

    private func payload(_ token: ApiToken, username: String, secret: String? = nil) -> TokenPayload {
        let timeZone = dependencies.configuration.timeZone
        return TokenPayload(
            id: token.id, name: token.name, role: token.role.rawValue, username: username,
            createdAt: ISO8601Text.format(token.createdAt, timeZone: timeZone),
            expiresAt: token.expiresAt.map { ISO8601Text.format($0, timeZone: timeZone) },
            lastUsedAt: token.lastUsedAt.map { ISO8601Text.format($0, timeZone: timeZone) }, token: secret)
    }

    private struct TokenList: Encodable {
        var status = "success"
        var data: [TokenPayload]
        var count: Int
    }

    private func list(_ context: MonitorRequestContext) async throws -> Response {
        guard let principal = context.principal else { throw APIError.unauthenticated }
        let isAdmin = principal.role == .admin
        let tokens = try await dependencies.tokens.tokens(userID: isAdmin ? nil : principal.user.id)
        let names = Dictionary(
            try await dependencies.users.all().map { ($0.id, $0.username) }, uniquingKeysWith: { a, _ in a })
        return JSONResponse.make(
            TokenList(data: tokens.map { payload($0, username: names[$0.userID] ?? "?") }, count: tokens.count))
    }

    struct CreateBody: Decodable {
        var name: String
        var role: UserRole?
        var expiresInDays: Int?
    }

    private func create(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        guard let principal = context.principal else { throw APIError.unauthenticated }
        let body = try await JSONBody.decode(CreateBody.self, request, context)
        try TextField.check(body.name, field: "name", maxLength: 100, allowEmpty: false)
        let role = body.role ?? principal.role
        guard role <= principal.role else {
            throw APIError(
                .forbidden, "a token cannot have more than your own role (\(principal.role.rawValue))",
                parameter: "role")
        }
        var expiresAt: Date?
        if let days = body.expiresInDays {
            guard (1...3650).contains(days) else {
                throw APIError.badRequest("expiresInDays must be from 1 to 3650", parameter: "expiresInDays")
            }
            expiresAt = Date().addingTimeInterval(Double(days) * 86400)
        }
        let secret = SecretToken.generate(prefix: Self.prefix)
        let token = ApiToken(
            userID: principal.user.id, name: body.name, role: role, tokenHash: SecretToken.hash(secret),
            expiresAt: expiresAt)
        try await dependencies.tokens.insert(token)
        dependencies.logger.info(
            "API token created", metadata: ["username": "\(principal.user.username)", "token": "\(token.name)"])
        return JSONResponse.make(payload(token, username: principal.user.username, secret: secret), status: .created)
    }

    private func revoke(_ context: MonitorRequestContext) async throws -> Response {
        guard let principal = context.principal else { throw APIError.unauthenticated }
        let id = try PathReader.uuid("id", context)
        // Someone else's token reads as missing, so ids of other users' tokens are not confirmed.
        guard let token = try await dependencies.tokens.token(id: id),
            token.userID == principal.user.id || principal.role == .admin
        else { throw APIError.notFound("no token \(id)") }
        try await dependencies.tokens.delete(id: id)
        return JSONResponse.make(["status": "success"])
    }
}
