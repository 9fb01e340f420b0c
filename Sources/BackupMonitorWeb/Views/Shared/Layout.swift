import BackupMonitor

/// The frame of every signed-in page: skip link, navigation, mode switch, date picker and
/// sign-out (SPEC §8). Everything works without JavaScript; `app.js` only adds live progress.
enum Layout {
    enum Section: String, Sendable, CaseIterable {
        case dashboard = "Dashboard"
        case backups = "Backups"
        case servers = "Servers"
        case reports = "Reports"
        case settings = "Settings"

        var url: SiteURL {
            switch self {
            case .dashboard: .dashboard
            case .backups: .backups
            case .servers: .servers
            case .reports: .reports
            case .settings: .settings
            }
        }
    }

    static func page(
        _ title: String, section: Section?, context: PageContext, showsSelection: Bool = true, body: HTML
    ) -> HTML {
        let nav = Section.allCases.filter { $0 != .settings || context.isAdmin }.map { item -> HTML in
            let current: HTML = item == section ? " aria-current=\"page\"" : ""
            return "<li><a href=\"\(item.url.with(context.selection))\"\(current)>\(item.rawValue)</a></li>"
        }
        return document(
            title,
            body: """
                <a class="skip" href="#main">Skip to content</a>
                <header class="top">
                <div class="brand"><a href="\(SiteURL.dashboard.with(context.selection))">Backup Monitor</a></div>
                <nav aria-label="Main"><ul>\(nav)</ul></nav>
                <form class="signout" method="post" action="\(SiteURL.logout.path)">\(context.csrfField)<span class="who">\(context.username) · \(context.role.rawValue)</span> <button type="submit" class="link">Sign out</button></form>
                </header>
                \(showsSelection ? selection(section: section, context: context) : .empty)
                <main id="main" tabindex="-1">
                <h1>\(title)</h1>
                \(body)
                </main>
                """, csrfToken: context.csrfToken)
    }

    /// The mode switch and date picker: a GET form, so the choice is in the URL and bookmarkable.
    private static func selection(section: Section?, context: PageContext) -> HTML {
        let action = (section ?? .dashboard).url.path
        let modes = ScanMode.allCases.map { mode -> HTML in
            let checked = HTML.attribute("checked", if: mode == context.mode)
            return """
                <label class="mode"><input type="radio" name="mode" value="\(mode.rawValue)"\(checked)> \(mode.displayName)</label>
                """
        }
        return """
            <form class="selection" method="get" action="\(action)" aria-label="Mode and date">
            <fieldset><legend>Check</legend>\(modes)</fieldset>
            <label>Day <input type="date" name="date" value="\(context.day.description)" max="\(context.today.adding(days: 1).description)" required></label>
            <button type="submit">Show</button>
            </form>
            """
    }

    /// The HTML document around a page's body; pages without the signed-in frame (sign-in,
    /// errors before sign-in) use it directly.
    static func document(_ title: String, body: HTML, csrfToken: String? = nil) -> HTML {
        let csrf: HTML = csrfToken.map { "<meta name=\"csrf-token\" content=\"\($0)\">\n" } ?? .empty
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(csrf)<title>\(title) · Backup Monitor</title>
            <link rel="stylesheet" href="\(SiteURL.stylesheet.path)">
            <script src="\(SiteURL.script.path)" defer></script>
            </head>
            <body>
            \(body)
            </body>
            </html>

            """
    }

    /// A notice or error box, announced to screen readers.
    static func message(_ text: String?, kind: String = "notice") -> HTML {
        guard let text, !text.isEmpty else { return .empty }
        let role = kind == "error" ? "alert" : "status"
        return "<p class=\"message \(kind)\" role=\"\(role)\">\(text)</p>\n"
    }

    /// The status badge of a record, or of no record.
    static func badge(_ record: BackupRecord?) -> HTML {
        badge(record.map(\.status), record?.failureKind)
    }

    static func badge(_ verdict: RecordVerdict?) -> HTML {
        badge(verdict.map(\.status), verdict?.failureKind)
    }

    private static func badge(_ status: BackupStatus?, _ kind: FailureKind?) -> HTML {
        guard let status else { return "<span class=\"badge unscanned\">Not scanned</span>" }
        if status == .success { return "<span class=\"badge success\">Successful</span>" }
        return "<span class=\"badge failed\">\(kind?.label ?? "Failed")</span>"
    }
}
