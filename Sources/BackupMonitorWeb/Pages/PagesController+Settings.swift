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
    private static func notice(_ query: PageQuery) throws -> String? {
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
            notice: try Self.notice(PageQuery(request)))
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

    private func saveOutlet(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let form = try await FormBody.read(request, context)
        let editing = form.value("editing") != nil
        let existing = try await form.value("code").asyncFlatMap { try await dependencies.outlets.outlet(code: $0) }
        var port: Int?
        if let text = form.value("port") {
            guard let number = Int(text) else {
                return try await settingsPage(page, error: "port: 1 to 65535 expected", status: .badRequest)
            }
            port = number
        }
        let input = OutletsController.OutletInput(
            code: form.value("code"), host: form.value("host"), port: port, name: form.value("name"),
            region: form.value("region"), enabled: form.value("enabled") == "true", share: form.value("share"),
            folder: form.value("folder"))
        let outlet: Outlet
        do {
            outlet = try input.outlet(code: nil, keeping: existing)
        } catch let error as APIError {
            return try await settingsPage(page, editing: existing, error: error.message, status: .badRequest)
        }
        if !editing, existing != nil {
            return try await settingsPage(
                page, error: "Outlet \(outlet.code) already exists; use its Edit link to change it.", status: .conflict)
        }
        try await dependencies.outlets.save([outlet])
        return Self.done("outlet-saved", outlet.code, anchor: "outlets")
    }

    private func setEnabled(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let code = try PathReader.outletCode(context)
        let form = try await FormBody.read(request, context)
        guard var outlet = try await dependencies.outlets.outlet(code: code) else {
            throw APIError.notFound("There is no outlet \(code).")
        }
        outlet.enabled = form.value("enabled") == "true"
        try await dependencies.outlets.save([outlet])
        return Self.done(outlet.enabled ? "outlet-enabled" : "outlet-disabled", code, anchor: "outlets")
    }

    private func importOutlets(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext)
        async throws -> Response
    {
        let form = try await FormBody.read(request, context)
        let text = (form.raw("csv") ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        var problems: [String] = []
        var outlets: [Outlet] = []
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems = ["the CSV is empty"]
        } else {
            do {
                outlets = try OutletCSVImport.parse(text)
            } catch {
                problems = error.problems.map(\.description)
            }
        }
        for outlet in outlets {
            for (field, value) in [("name", outlet.name), ("region", outlet.region), ("host", outlet.host)] {
                do {
                    try TextField.check(value, field: field, maxLength: 253)
                } catch let error as APIError {
                    problems.append("outlet \(outlet.code): \(error.message)")
                }
            }
        }
        guard problems.isEmpty else {
            return try await settingsPage(page, status: .badRequest) { model in
                model.importText = text
                model.importProblems = problems
            }
        }
        try await dependencies.outlets.save(outlets)
        return Self.done("imported", String(outlets.count), anchor: "import")
    }

    private func addUser(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let form = try await FormBody.read(request, context)
        let username = form.value("username") ?? ""
        let password = form.raw("password") ?? ""
        let role = form.value("role").flatMap(UserRole.init(rawValue:)) ?? .viewer
        if let problem = MonitorUser.usernameProblems(username).first
            ?? PasswordHasher.problem(with: password).map({
                "password: \($0)"
            })
        {
            return try await settingsPage(page, error: problem, status: .badRequest)
        }
        let hash = try await dependencies.passwordHasher.hash(password)
        do {
            try await dependencies.users.create(MonitorUser(username: username, passwordHash: hash, role: role))
        } catch let error as DuplicateUserError {
            return try await settingsPage(page, error: error.description, status: .conflict)
        }
        return Self.done("user-added", username, anchor: "users")
    }

    private func setRole(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let username = try PathReader.username(context)
        let form = try await FormBody.read(request, context)
        guard let role = form.value("role").flatMap(UserRole.init(rawValue:)) else {
            throw APIError.badRequest("role must be viewer, operator or admin", parameter: "role")
        }
        guard let user = try await dependencies.users.user(username: username) else {
            throw APIError.notFound("There is no user \(username).")
        }
        if role != .admin, user.role == .admin, try await dependencies.users.adminCount() <= 1 {
            return try await settingsPage(
                page, error: "\(username) is the last admin and cannot be demoted.", status: .conflict)
        }
        try await dependencies.users.setRole(role, forUserID: user.id)
        return Self.done("role-changed", username, anchor: "users")
    }

    private func deleteUser(_ context: MonitorRequestContext, _ page: PageContext) async throws -> Response {
        let username = try PathReader.username(context)
        guard let user = try await dependencies.users.user(username: username) else {
            throw APIError.notFound("There is no user \(username).")
        }
        if username == page.username {
            return try await settingsPage(page, error: "You cannot delete yourself.", status: .conflict)
        }
        if user.role == .admin, try await dependencies.users.adminCount() <= 1 {
            return try await settingsPage(
                page, error: "\(username) is the last admin and cannot be deleted.", status: .conflict)
        }
        try await dependencies.users.delete(id: user.id)
        return Self.done("user-deleted", username, anchor: "users")
    }

    /// Answers with the page itself (no redirect), because the secret is shown this once and
    /// must never travel in a URL.
    private func createToken(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext)
        async throws -> Response
    {
        guard let principal = context.principal else { throw APIError.unauthenticated }
        let form = try await FormBody.read(request, context)
        let name = form.value("name") ?? ""
        do {
            try TextField.check(name, field: "name", maxLength: 100, allowEmpty: false)
        } catch let error as APIError {
            return try await settingsPage(page, error: error.message, status: .badRequest)
        }
        let role = form.value("role").flatMap(UserRole.init(rawValue:)) ?? .viewer
        guard role <= principal.role else {
            return try await settingsPage(
                page, error: "A token cannot have more than your own role.", status: .forbidden)
        }
        var expiresAt: Date?
        if let text = form.value("days") {
            guard let days = Int(text), (1...3650).contains(days) else {
                return try await settingsPage(
                    page, error: "Expires in days must be from 1 to 3650.", status: .badRequest)
            }
            expiresAt = Date().addingTimeInterval(Double(days) * 86400)
        }
        let secret = SecretToken.generate(prefix: TokensController.prefix)
        try await dependencies.tokens.insert(
            ApiToken(
                userID: principal.user.id, name: name, role: role, tokenHash: SecretToken.hash(secret),
                expiresAt: expiresAt))
        dependencies.logger.info(
            "API token created", metadata: ["username": "\(principal.user.username)", "token": "\(name)"])
        var response = try await settingsPage(page) { model in model.createdToken = (name, secret) }
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func revokeToken(_ context: MonitorRequestContext, _ page: PageContext) async throws -> Response {
        let id = try PathReader.uuid("id", context)
        guard try await dependencies.tokens.delete(id: id) else { throw APIError.notFound("There is no token \(id).") }
        return Self.done("token-revoked", anchor: "tokens")
    }
}

extension Optional {
    fileprivate func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
