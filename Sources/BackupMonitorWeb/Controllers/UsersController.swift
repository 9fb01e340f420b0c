import BackupMonitor
import Foundation
import Hummingbird

/// User administration (SPEC §11), for admins only: the API's adapter over `UserAdministration`,
/// where the rules live (the last admin stays, nobody deletes themself).
struct UsersController {
    let dependencies: AppDependencies

    var endpoints: [Endpoint] {
        let username = OperationDoc.Parameter.path("username", Schema.username, "User name.")
        let role = Schema.enumeration(UserRoleNames.all)
        return [
            Endpoint(
                .get, "/api/v1/users", .role(.admin),
                OperationDoc(
                    "listUsers", "All users.", tag: "Users",
                    success: (
                        200, .json(Schema.object(["status": Schema.string, "data": Schema.array(Schema.ref("User"))]))
                    )),
                handler: { _, _ in try await list() }),
            Endpoint(
                .post, "/api/v1/users", .role(.admin),
                OperationDoc(
                    "createUser", "Add a user.", tag: "Users",
                    body: .json(
                        Schema.object(
                            [
                                "username": Schema.username, "password": ["type": "string", "minLength": 10],
                                "role": role,
                            ],
                            required: ["username", "password", "role"])),
                    success: (201, .json(Schema.ref("User"))), errors: [409, 415]),
                handler: { request, context in try await create(request, context) }),
            Endpoint(
                .patch, "/api/v1/users/{username}", .role(.admin),
                OperationDoc(
                    "updateUser", "Change a user's role or password (a new password ends their sessions).",
                    tag: "Users", parameters: [username],
                    body: .json(Schema.object(["password": ["type": "string", "minLength": 10], "role": role])),
                    success: (200, .json(Schema.ref("User"))), errors: [404, 409, 415]),
                handler: { request, context in try await update(request, context) }),
            Endpoint(
                .delete, "/api/v1/users/{username}", .role(.admin),
                OperationDoc(
                    "deleteUser", "Remove a user with their sessions and tokens (not yourself, not the last admin).",
                    tag: "Users",
                    parameters: [username], errors: [404, 409]),
                handler: { _, context in try await delete(context) }),
        ]
    }

    private func payload(_ user: MonitorUser) -> AuthController.UserPayload {
        AuthController.UserPayload(user, timeZone: dependencies.configuration.timeZone)
    }

    private struct UserList: Encodable {
        var status = "success"
        var data: [AuthController.UserPayload]
        var count: Int
    }

    private func list() async throws -> Response {
        let users = try await dependencies.users.all()
        return JSONResponse.make(UserList(data: users.map(payload), count: users.count))
    }

    struct CreateBody: Decodable {
        var username: String
        var password: String
        var role: UserRole
    }

    private func create(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(CreateBody.self, request, context)
        let user = try await dependencies.userAdministration.add(
            username: body.username, password: body.password, role: body.role)
        return JSONResponse.make(payload(user), status: .created)
    }

    struct UpdateBody: Decodable {
        var password: String?
        var role: UserRole?
    }

    private func update(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        let username = try PathReader.username(context)
        let body = try await JSONBody.decode(UpdateBody.self, request, context)
        let user = try await dependencies.userAdministration.update(
            username: username, role: body.role, password: body.password)
        return JSONResponse.make(payload(user))
    }

    private func delete(_ context: MonitorRequestContext) async throws -> Response {
        let username = try PathReader.username(context)
        try await dependencies.userAdministration.delete(
            username: username, actingUsername: context.principal?.user.username)
        return JSONResponse.make(["status": "success"])
    }
}
