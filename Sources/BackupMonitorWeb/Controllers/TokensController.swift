import BackupMonitor
import Foundation
import Hummingbird

/// API tokens for scripts (SPEC §11): the API's adapter over `TokenIssuer`, where the rules live.
struct TokensController {
    let dependencies: AppDependencies

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
        let listed = try await dependencies.tokenIssuer.list(for: try Self.owner(context))
        return JSONResponse.make(
            TokenList(data: listed.map { payload($0.token, username: $0.username) }, count: listed.count))
    }

    struct CreateBody: Decodable {
        var name: String
        var role: UserRole?
        var expiresInDays: Int?
    }

    private func create(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        let owner = try Self.owner(context)
        let body = try await JSONBody.decode(CreateBody.self, request, context)
        let issued = try await dependencies.tokenIssuer.create(
            for: owner, name: body.name, role: body.role, expiresInDays: body.expiresInDays)
        dependencies.logger.info(
            "API token created", metadata: ["username": "\(owner.user.username)", "token": "\(issued.token.name)"])
        return JSONResponse.make(
            payload(issued.token, username: owner.user.username, secret: issued.secret), status: .created)
    }

    private func revoke(_ context: MonitorRequestContext) async throws -> Response {
        let id = try PathReader.uuid("id", context)
        try await dependencies.tokenIssuer.revoke(id: id, by: try Self.owner(context))
        return JSONResponse.make(["status": "success"])
    }

    /// The signed-in caller as a token owner.
    static func owner(_ context: MonitorRequestContext) throws -> TokenIssuer.Owner {
        guard let principal = context.principal else { throw APIError.unauthenticated }
        return TokenIssuer.Owner(user: principal.user, role: principal.role)
    }
}
