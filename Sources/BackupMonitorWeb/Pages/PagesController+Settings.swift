import BackupMonitor
import Foundation
import Hummingbird

/// The admin's forms on the settings page. Each change redirects back with a short notice
/// code (post/redirect/get); a refused change re-renders the page with the reason.
extension PagesController {
    var settingsRoutes: [PageRoute] {
        [
            .page(.get, SiteURL.settings.path, .admin) { request, _, page in try await settings(request, page) },
            .page(.get, "/settings/outlets/{code}", .admin) { _, context, page in
                let code = try PathReader.outletCode(context)
                guard let outlet = try await dependencies.outlets.outlet(code: code) else {
                    throw APIError.notFound("There is no outlet \(code).")
                }
                return try await settingsPage(page, editing: outlet)
            },
            .page(.post, SiteURL.settingsOutlets.path, .admin) { request, context, page in
                try await saveOutlet(request, context, page)
            },
            .page(.post, "/settings/outlets/{code}/enabled", .admin) { request, context, page in
                try await setEnabled(request, context, page)
            },
            .page(.post, SiteURL.settingsImport.path, .admin) { request, context, page in
                try await importOutlets(request, context, page)
            },
            .page(.post, SiteURL.settingsUsers.path, .admin) { request, context, page in
                try await addUser(request, context, page)
            },
            .page(.post, "/settings/users/{username}/role", .admin) { request, context, page in
                try await setRole(request, context, page)
            },
            .page(.post, "/settings/users/{username}/delete", .admin) { _, context, page in
                try await deleteUser(context, page)
            },
            .page(.post, SiteURL.settingsTokens.path, .admin) { request, context, page in
                try await createToken(request, context, page)
            },
            .page(.post, "/settings/tokens/{id}/revoke", .admin) { _, context, page in
                try await revokeToken(context, page)
            },
        ]
    }

    /// What a `done` code says; the subject (`code`, `name`) comes from the query, escaped.
    private static func notice(_ query: QueryReader) throws -> String? {
        guard let done = try query.string("done", maxLength: 40) else { return nil }
        let subject = try query.string("subject", maxLength: 100) ?? ""
        switch done {
        case "outlet-saved": return "Outlet \(subject) saved."
        case "outlet-enabled": return "Outlet \(subject) enabled."
        case "outlet-disabled": return "Outlet \(subject) disabled: scans skip it."
        case "imported": return "Imported \(subject) outlets."
        case "user-added": return "User \(subject) added."
        case "role-changed": return "Role of \(subject) changed."
        case "user-deleted": return "User \(subject) deleted."
        case "token-revoked": return "Token revoked."
        default: return nil
        }
    }

    private static func done(_ code: String, _ subject: String? = nil, anchor: String) -> Response {
        PageResponse.redirect(SiteURL.settings.with([("done", code), ("subject", subject)]) + "#" + anchor)
    }

    private func settings(_ request: Request, _ page: PageContext) async throws -> Response {
        let model = try await SettingsQuery(dependencies: dependencies).model(
            notice: try Self.notice(QueryReader.page(request)))
        return PageResponse.html(SettingsView(model: model, context: page).html)
    }

    private func settingsPage(
        _ page: PageContext, editing: Outlet? = nil, error: String? = nil, status: HTTPResponse.Status = .ok,
        change: (inout SettingsModel) -> Void = { _ in }
    ) async throws -> Response {
        var model = try await SettingsQuery(dependencies: dependencies).model(editing: editing, error: error)
        change(&model)
        return PageResponse.html(SettingsView(model: model, context: page).html, status: status)
    }

    /// A refused change: the settings page again, with the use case's reason and its status.
    private func refused(
        _ refusal: UseCaseError, _ page: PageContext, editing: Outlet? = nil,
        change: (inout SettingsModel) -> Void = { _ in }
    ) async throws -> Response {
        try await settingsPage(
            page, editing: editing, error: PageResponse.sentence(refusal.message),
            status: APIError.status(of: refusal.kind), change: change)
    }

    private func saveOutlet(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let form = try await FormBody.read(request, context)
        let administration = dependencies.outletAdministration
        let editing = form.value("editing") != nil
        let code = form.value("code") ?? ""
        do {
            var port: Int?
            if let text = form.value("port") {
                guard let number = Int(text) else {
                    throw UseCaseError.invalid(FieldProblem("port", "1 to 65535 expected"))
                }
                port = number
            }
            var input = OutletInput(
                code: code, host: form.value("host"), port: port, name: form.value("name"),
                region: form.value("region"), enabled: form.value("enabled") == "true", share: form.value("share"),
                folder: form.value("folder"))
            // A password typed sets the override; "remove" clears it; neither leaves it as it is.
            for prefix in ["", "ibstorage_"] {
                let remove = form.value(prefix + "remove") == "true"
                let password = form.raw(prefix + "password") ?? ""
                guard remove || !password.isEmpty else { continue }
                let login = remove ? "" : form.value(prefix + "username") ?? ""
                if prefix.isEmpty {
                    (input.username, input.password) = (login, remove ? "" : password)
                } else {
                    (input.ibstorageUsername, input.ibstoragePassword) = (login, remove ? "" : password)
                }
            }
            let outlet =
                editing
                ? try await administration.replace(code: code, with: input) : try await administration.create(input)
            return Self.done("outlet-saved", outlet.code, anchor: "outlets")
        } catch let refusal as UseCaseError {
            let existing = editing ? try await administration.outlets.outlet(code: code) : nil
            return try await refused(refusal, page, editing: existing)
        }
    }

    private func setEnabled(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let code = try PathReader.outletCode(context)
        let form = try await FormBody.read(request, context)
        let outlet = try await dependencies.outletAdministration.setEnabled(form.value("enabled") == "true", code: code)
        return Self.done(outlet.enabled ? "outlet-enabled" : "outlet-disabled", code, anchor: "outlets")
    }

    private func importOutlets(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext)
        async throws -> Response
    {
        let form = try await FormBody.read(request, context)
        let text = form.raw("csv") ?? ""
        do {
            let imported = try await dependencies.outletAdministration.importCSV(text)
            return Self.done("imported", String(imported.count), anchor: "import")
        } catch let refusal as UseCaseError {
            return try await refused(refusal, page) { model in
                model.importText = text.replacingOccurrences(of: "\r\n", with: "\n")
                model.importProblems = refusal.details["problems"] ?? [refusal.message]
            }
        }
    }

    private func addUser(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let form = try await FormBody.read(request, context)
        let username = form.value("username") ?? ""
        do {
            _ = try await dependencies.userAdministration.add(
                username: username, password: form.raw("password") ?? "",
                role: try Self.role(form.value("role")) ?? .viewer)
            return Self.done("user-added", username, anchor: "users")
        } catch let refusal as UseCaseError {
            return try await refused(refusal, page)
        }
    }

    /// A role from a form: one of the three names, or nil when the field is left out.
    private static func role(_ text: String?) throws(UseCaseError) -> UserRole? {
        guard let text else { return nil }
        guard let role = UserRole(rawValue: text) else {
            throw .invalid("role must be viewer, operator or admin", field: "role")
        }
        return role
    }

    private func setRole(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let username = try PathReader.username(context)
        let form = try await FormBody.read(request, context)
        do {
            guard let role = try Self.role(form.value("role")) else {
                throw UseCaseError.invalid("role must be viewer, operator or admin", field: "role")
            }
            _ = try await dependencies.userAdministration.update(username: username, role: role, password: nil)
            return Self.done("role-changed", username, anchor: "users")
        } catch let refusal as UseCaseError where refusal.kind != .notFound {
            return try await refused(refusal, page)
        }
    }

    private func deleteUser(_ context: MonitorRequestContext, _ page: PageContext) async throws -> Response {
        let username = try PathReader.username(context)
        do {
            try await dependencies.userAdministration.delete(username: username, actingUsername: page.username)
            return Self.done("user-deleted", username, anchor: "users")
        } catch let refusal as UseCaseError where refusal.kind != .notFound {
            return try await refused(refusal, page)
        }
    }

    /// Answers with the page itself (no redirect), because the secret is shown this once and
    /// must never travel in a URL.
    private func createToken(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext)
        async throws -> Response
    {
        let owner = try TokensController.owner(context)
        let form = try await FormBody.read(request, context)
        do {
            var days: Int?
            if let text = form.value("days") {
                guard let number = Int(text) else {
                    throw UseCaseError.invalid("expires in days must be a whole number", field: "days")
                }
                days = number
            }
            let issued = try await dependencies.tokenIssuer.create(
                for: owner, name: form.value("name") ?? "", role: try Self.role(form.value("role")), expiresInDays: days
            )
            dependencies.logger.info(
                "API token created", metadata: ["username": "\(owner.user.username)", "token": "\(issued.token.name)"])
            var response = try await settingsPage(page) { model in
                model.createdToken = (issued.token.name, issued.secret)
            }
            response.headers[.cacheControl] = "no-store"
            return response
        } catch let refusal as UseCaseError {
            return try await refused(refusal, page)
        }
    }

    private func revokeToken(_ context: MonitorRequestContext, _ page: PageContext) async throws -> Response {
        let id = try PathReader.uuid("id", context)
        try await dependencies.tokenIssuer.revoke(id: id, by: try TokensController.owner(context))
        return Self.done("token-revoked", anchor: "tokens")
    }
}
