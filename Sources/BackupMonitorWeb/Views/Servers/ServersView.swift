import BackupMonitor

/// The servers grid: a search/filter form and one card per outlet, coloured by the selected
/// mode's status, with both modes' verdicts on the card.
struct ServersView: Sendable {
    var model: ServersModel
    var context: PageContext

    var html: HTML {
        // Every card links to its outlet with the same query: encoded once, not per card.
        let query = String(SiteURL.servers.with(context.selection).dropFirst(SiteURL.servers.path.count))
        var cards = HTML.empty
        cards.reserveCapacity(model.cards.count * 480)
        for card in model.cards { cards += self.card(card, query: query) }
        return Layout.page(
            "Servers", section: .servers, context: context,
            body: """
                \(filters)
                <p class="count" id="server-count">\(Format.number(model.cards.count)) of \(Format.number(model.outletCount)) outlets</p>
                <ul class="cards" id="server-cards">
                \(cards)</ul>
                """)
    }

    private var filters: HTML {
        let statusOptions =
            [HTML("<option value=\"\">Any</option>")]
            + ServersModel.StatusFilter.allCases.map { status -> HTML in
                "<option value=\"\(status.rawValue)\"\(HTML.attribute("selected", if: model.status == status))>\(status.label) (\(context.mode.displayName))</option>"
            }
        let regionOptions =
            [HTML("<option value=\"\">All regions</option>")]
            + model.regions.map { region -> HTML in
                "<option\(HTML.attribute("selected", if: model.region == region))>\(region)</option>"
            }
        return """
            <form class="filters card" method="get" action="\(SiteURL.servers.path)" role="search" aria-label="Find outlets">
            <input type="hidden" name="mode" value="\(context.mode.rawValue)">
            <input type="hidden" name="date" value="\(context.day.description)">
            <label>Search <input type="search" name="q" id="server-search" value="\(model.search ?? "")" placeholder="code, name, host" maxlength="100"></label>
            <label>Status <select name="status" id="server-status">\(statusOptions)</select></label>
            <label>Region <select name="region" id="server-region">\(regionOptions)</select></label>
            <button type="submit">Find</button>
            <a href="\(SiteURL.servers.with(context.selection))">Reset</a>
            </form>
            """
    }

    private func card(_ card: ServersModel.Card, query: String) -> HTML {
        let selected = card.verdicts[context.mode]
        let tone = selected.map { $0.status.rawValue } ?? "unscanned"
        let modes = ScanMode.allCases.map { mode -> HTML in
            let record = card.verdicts[mode]
            let title = record?.errorDetails ?? record?.fileName ?? ""
            return "<dt>\(mode.displayName)</dt><dd title=\"\(title)\">\(Layout.badge(record))</dd>"
        }
        let disabled: HTML = card.outlet.enabled ? "" : " <span class=\"badge muted\">disabled</span>"
        return """
            <li class="server \(tone)" data-outlet="\(card.outlet.code)"><a href="\(SiteURL.outlet(card.outlet.code).path + query)"><strong>\(card.outlet.code)</strong>\(disabled)<span class="meta">\(card.outlet.name)\(card.outlet.region.isEmpty ? "" : " · \(card.outlet.region)")</span></a><dl>\(modes)</dl></li>

            """
    }
}
