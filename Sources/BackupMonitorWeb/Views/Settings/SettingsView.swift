import BackupMonitor
import Foundation

/// The settings page. Every change is a small POST form (with the CSRF field) that redirects
/// back here with a notice; failures re-render the page with the problem next to the form.
struct SettingsView: Sendable {
    var model: SettingsModel
    var context: PageContext

    var html: HTML {
        Layout.page(
            "Settings", section: .settings, context: context, showsSelection: false,
            body: """
                \(Layout.message(model.notice))\(Layout.message(model.error, kind: "error"))<nav class="toc" aria-label="Settings sections"><a href="#outlets">Outlets</a> <a href="#import">CSV import</a> <a href="#users">Users</a> <a href="#tokens">API tokens</a> <a href="#schedule">Schedule and notifications</a> <a href="#configuration">Configuration</a></nav>
                \(outletForm)
                \(importForm)
                \(outletTable)
                \(users)
                \(tokens)
                \(schedule)
                \(configuration)
                """)
    }

    private var outletForm: HTML {
        let outlet = model.editing
        let title = outlet.map { "Edit \($0.code)" } ?? "Add an outlet"
        let codeField: HTML =
            outlet.map {
                "<input type=\"hidden\" name=\"code\" value=\"\($0.code)\"><p>Code: <strong>\($0.code)</strong></p>"
            }
            ?? "<label>Code <input name=\"code\" required maxlength=\"64\" pattern=\"[A-Za-z0-9._\\-]+\"></label>"
        return """
            <section class="card" id="outlets" aria-labelledby="outlet-form-title">
            <h2 id="outlet-form-title">\(title)</h2>
            <form method="post" action="\(SiteURL.settingsOutlets.path)" class="grid-form">
            \(context.csrfField)<input type="hidden" name="editing" value="\(outlet == nil ? "" : "1")">
            \(codeField)
            <label>Host <input name="host" maxlength="253" value="\(outlet?.host ?? "")" placeholder="defaults to the code"></label>
            <label>Port <input name="port" type="number" min="1" max="65535" value="\(outlet?.port ?? 445)"></label>
            <label>Name <input name="name" maxlength="200" value="\(outlet?.name ?? "")"></label>
            <label>Region <input name="region" maxlength="100" value="\(outlet?.region ?? "")"></label>
            <label>Share override <input name="share" maxlength="80" value="\(outlet?.shareOverride ?? "")" placeholder="SHARE"></label>
            <label>Folder override <input name="folder" maxlength="260" value="\(outlet?.folderOverride ?? "")" placeholder="FOLDER"></label>
            <label class="check"><input type="checkbox" name="enabled" value="true"\(HTML.attribute("checked", if: outlet?.enabled ?? true))> Enabled</label>
            \(credentialFields(.ddrive, prefix: ""))\(credentialFields(.ibstorage, prefix: "ibstorage_"))
            <p class="actions"><button type="submit" class="primary">\(outlet == nil ? "Add outlet" : "Save outlet")</button>\(outlet == nil ? "" : " <a href=\"\(SiteURL.settings.path)\">Cancel</a>" as HTML)</p>
            </form>
            </section>
            """
    }

    /// A mode's override: the user shown, the password never; an empty password keeps it.
    private func credentialFields(_ mode: ScanMode, prefix: String) -> HTML {
        let current = model.editingCredentials.first { $0.mode == mode }
        let fallback = mode == .ddrive ? "USER" : "the D-Drive override, else SMB_USER"
        let state: HTML =
            current == nil
            ? "not set: \(fallback) is used"
            : "set; leave the password empty to keep it"
        let remove: HTML =
            current == nil
            ? ""
            : "<label class=\"check\"><input type=\"checkbox\" name=\"\(prefix)remove\" value=\"true\"> Remove the \(mode.displayName) override</label>"
        return """
            <fieldset class="credentials"><legend>\(mode.displayName) credentials (\(state))</legend>
            <label>User <input name="\(prefix)username" maxlength="256" autocomplete="off" value="\(current?.login ?? "")" placeholder="DOMAIN\\user"></label>
            <label>Password <input name="\(prefix)password" type="password" maxlength="1024" autocomplete="new-password"></label>
            \(remove)</fieldset>
            """
    }

    private var importForm: HTML {
        let problems: HTML =
            model.importProblems.isEmpty
            ? ""
            : """
            <div class="message error" role="alert"><p>Nothing was imported. Fix these lines and import again:</p><ul id="import-problems">\(model.importProblems.map { "<li>\($0)</li>" as HTML })</ul></div>
            """
        return """
            <section class="card" id="import" aria-labelledby="import-title">
            <h2 id="import-title">Import outlets from CSV</h2>
            <p>A header row (<code>code,host,port,name,region,enabled,share,folder</code>, any order; optional <code>username,password,ibstorage_username,ibstorage_password</code> set per-outlet credentials), then one outlet per line. Every line is checked first: one bad line and nothing is imported.</p>
            \(problems)<form method="post" action="\(SiteURL.settingsImport.path)">
            \(context.csrfField)<p class="js-only"><label>Load a CSV file <input type="file" accept=".csv,text/csv" data-fills="csv-text"></label></p>
            <p><label for="csv-text">CSV text (or paste it here)</label></p>
            <textarea id="csv-text" name="csv" rows="6" required>\(model.importText ?? "")</textarea>
            <p class="actions"><button type="submit">Import</button></p>
            </form>
            </section>
            """
    }

    private var outletTable: HTML {
        let rows = model.outlets.map { outlet -> HTML in
            """
            <tr><td><a href="\(SiteURL.outlet(outlet.code).path)">\(outlet.code)</a></td><td>\(outlet.host):\(outlet.port)</td><td>\(outlet.name)</td><td>\(outlet.region)</td><td>\(outlet.enabled ? "yes" : "no")</td><td class="row-actions"><a href="\(SiteURL.settingsOutlet(outlet.code).path)#outlets">Edit</a> <form method="post" action="\(SiteURL.settingsOutletEnabled(outlet.code).path)" class="inline">\(context.csrfField)<input type="hidden" name="enabled" value="\(outlet.enabled ? "false" : "true")"><button type="submit" class="small">\(outlet.enabled ? "Disable" : "Enable")</button></form></td></tr>

            """
        }
        return """
            <section class="card" aria-labelledby="outlet-list-title">
            <h2 id="outlet-list-title">Outlets (\(Format.number(model.outlets.count)))</h2>
            <div class="table-wrap tall"><table class="compact" id="outlet-table"><thead><tr><th scope="col">Code</th><th scope="col">Host</th><th scope="col">Name</th><th scope="col">Region</th><th scope="col">Enabled</th><th scope="col">Actions</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            </section>
            """
    }

    private func roleOptions(_ selected: UserRole?) -> HTML {
        UserRole.allCases.map { role -> HTML in
            "<option value=\"\(role.rawValue)\"\(HTML.attribute("selected", if: role == selected))>\(role.rawValue)</option>"
        }.joined()
    }

    private var users: HTML {
        let rows = model.users.map { user -> HTML in
            """
            <tr><td>\(user.username)</td><td><form method="post" action="\(SiteURL.settingsUserRole(user.username).path)" class="inline">\(context.csrfField)<label class="visually-hidden" for="role-\(user.username)">Role of \(user.username)</label><select id="role-\(user.username)" name="role">\(roleOptions(user.role))</select> <button type="submit" class="small">Change</button></form></td><td>\(Format.dateTime(user.createdAt, context.timeZone))</td><td><form method="post" action="\(SiteURL.settingsUserDelete(user.username).path)" class="inline">\(context.csrfField)<button type="submit" class="small danger"\(HTML.attribute("disabled", if: user.username == context.username))>Delete</button></form></td></tr>

            """
        }
        return """
            <section class="card" id="users" aria-labelledby="users-title">
            <h2 id="users-title">Users and roles</h2>
            <p>viewer reads; operator also scans and re-syncs; admin also manages outlets, users and settings.</p>
            <div class="table-wrap"><table class="compact"><thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            <h3>Add a user</h3>
            <form method="post" action="\(SiteURL.settingsUsers.path)" class="grid-form">
            \(context.csrfField)<label>User name <input name="username" required maxlength="64" autocomplete="off"></label>
            <label>Password <input name="password" type="password" required minlength="10" maxlength="200" autocomplete="new-password"></label>
            <label>Role <select name="role">\(roleOptions(.viewer))</select></label>
            <p class="actions"><button type="submit">Add user</button></p>
            </form>
            </section>
            """
    }

    private var tokens: HTML {
        let created: HTML =
            model.createdToken.map { token in
                """
                <div class="message notice" role="status"><p>Token <strong>\(token.name)</strong> created. Copy it now: it is shown only once.</p><p><code id="new-token">\(token.secret)</code></p></div>
                """
            } ?? ""
        let rows = model.tokens.map { row -> HTML in
            let token = row.token
            return """
                <tr><td>\(token.name)</td><td>\(row.username)</td><td>\(token.role.rawValue)</td><td>\(Format.dateTime(token.createdAt, context.timeZone))</td><td>\(token.expiresAt.map { Format.dateTime($0, context.timeZone) } ?? "never")</td><td>\(Format.dateTime(token.lastUsedAt, context.timeZone))</td><td><form method="post" action="\(SiteURL.settingsTokenRevoke(token.id).path)" class="inline">\(context.csrfField)<button type="submit" class="small danger">Revoke</button></form></td></tr>

                """
        }
        return """
            <section class="card" id="tokens" aria-labelledby="tokens-title">
            <h2 id="tokens-title">API tokens</h2>
            \(created)<div class="table-wrap"><table class="compact"><thead><tr><th scope="col">Name</th><th scope="col">User</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            <h3>Create a token (for you)</h3>
            <form method="post" action="\(SiteURL.settingsTokens.path)" class="grid-form">
            \(context.csrfField)<label>Name <input name="name" required maxlength="100"></label>
            <label>Role <select name="role">\(roleOptions(.viewer))</select></label>
            <label>Expires in days <input name="days" type="number" min="1" max="3650" placeholder="never"></label>
            <p class="actions"><button type="submit">Create token</button></p>
            </form>
            </section>
            """
    }

    /// Read-only: the schedule and the webhooks come from the environment (SPEC §9), so the
    /// page says which variables to change rather than offering a form that could not persist.
    private var schedule: HTML {
        let settings = model.schedule
        let modes = ScanMode.allCases.map { mode -> HTML in
            let times = (settings.times[mode] ?? []).map(\.description).joined(separator: ", ")
            return "<dt>\(mode.displayName)</dt><dd>\(times.isEmpty ? "not scheduled" : times)</dd>"
        }
        let retry: String
        if let interval = settings.retryInterval {
            retry =
                "failed outlets re-scanned every \(interval.components.seconds / 60) min"
                + (settings.retryUntil.map { " until \($0.description)" } ?? " until the end of the day")
        } else {
            retry = "no automatic re-scans"
        }
        let hooks =
            model.webhooks.isEmpty
            ? "<p>No webhook configured (<code>NOTIFY_WEBHOOKS</code>).</p>" as HTML
            : "<ul>\(model.webhooks.map { "<li><code>\($0.target)</code> (\($0.format))</li>" as HTML })</ul>"
        let deliveries =
            model.deliveries.isEmpty
            ? "<p>No notification sent yet.</p>" as HTML
            : """
            <div class="table-wrap"><table class="compact"><thead><tr><th scope="col">When</th><th scope="col">Target</th><th scope="col">Event</th><th scope="col">Result</th></tr></thead>
            <tbody>
            \(model.deliveries.map { delivery -> HTML in
                "<tr><td>\(Format.dateTime(delivery.createdAt, context.timeZone))</td><td><code>\(delivery.target)</code></td><td>\(delivery.event)</td><td>\(delivery.status.rawValue)\(delivery.httpStatus.map { " (HTTP \($0))" } ?? "")\(delivery.error.map { ": \($0)" } ?? "")</td></tr>\n"
            })</tbody></table></div>
            """
        return """
            <section class="card" id="schedule" aria-labelledby="schedule-title">
            <h2 id="schedule-title">Schedule and notifications</h2>
            <p>Set by <code>SCHEDULE_DDRIVE</code>, <code>SCHEDULE_IBSTORAGE</code>, <code>RETRY_INTERVAL_MINUTES</code>, <code>RETRY_UNTIL</code> and <code>NOTIFY_WEBHOOKS</code>; times are in \(settings.timeZone.identifier).</p>
            <dl class="facts">\(modes)<dt>Re-scans</dt><dd>\(retry)</dd></dl>
            <h3>Webhooks</h3>
            \(hooks)
            <h3>Last notifications</h3>
            \(deliveries)
            </section>
            """
    }

    private var configuration: HTML {
        let rows = model.configuration.map { entry -> HTML in
            "<tr><th scope=\"row\"><code>\(entry.name)</code></th><td><code>\(Self.maskURLPassword(entry.value))</code></td><td>\(entry.help)</td></tr>\n"
        }
        return """
            <section class="card" id="configuration" aria-labelledby="configuration-title">
            <h2 id="configuration-title">Effective configuration</h2>
            <p>Set by environment variables or <code>.env</code>; secrets are shown as *****.</p>
            <div class="table-wrap"><table class="compact"><thead><tr><th scope="col">Variable</th><th scope="col">Value</th><th scope="col">Meaning</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            </section>
            """
    }

    /// `postgres://user:secret@host/db` → `postgres://user:*****@host/db`: a database URL is
    /// not a secret variable, but the password inside it is.
    static func maskURLPassword(_ value: String) -> String {
        guard let scheme = value.range(of: "://"),
            let at = value.range(of: "@", range: scheme.upperBound..<value.endIndex)
        else { return value }
        let credentials = value[scheme.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return value }
        return String(value[..<scheme.upperBound]) + credentials[..<colon] + ":*****" + value[at.lowerBound...]
    }
}
