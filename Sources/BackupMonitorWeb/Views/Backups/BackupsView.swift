import BackupMonitor

/// The records table: filters (a GET form), sortable headers (links), server-side paging,
/// and re-sync per row or for the ticked rows (a POST form around the table).
struct BackupsView: Sendable {
    var model: BackupsModel
    var context: PageContext

    /// The query of this exact view, to rebuild links with one thing changed.
    private func query(sort: RecordSort? = nil, page: Int? = nil) -> [(String, String?)] {
        let filter = model.filter
        let sort = sort ?? model.sort
        return context.selection + [
            ("status", filter.status?.rawValue), ("outlet", filter.outletCode), ("from", filter.from?.description),
            ("to", filter.to?.description), ("reason", filter.failureKind?.rawValue),
            ("sort", sort == .standard ? nil : sort.parameter),
            ("page", (page ?? model.page) == 1 ? nil : String(page ?? model.page)),
        ]
    }

    var html: HTML {
        Layout.page(
            "Backups · \(context.mode.displayName)", section: .backups, context: context,
            body: """
                \(Layout.message(model.notice))\(filters)
                <p class="count" id="record-count">\(Format.number(model.total)) record\(model.total == 1 ? "" : "s")\(model.total > 0 ? ", page \(model.page) of \(model.pageCount)" : "")</p>
                \(table)
                \(pager)
                """)
    }

    private var filters: HTML {
        let filter = model.filter
        let statuses: [(String, String)] = [("", "Any"), ("success", "Successful"), ("failed", "Failed")]
        let statusOptions = statuses.map { value, label -> HTML in
            "<option value=\"\(value)\"\(HTML.attribute("selected", if: (filter.status?.rawValue ?? "") == value))>\(label)</option>"
        }
        let reasonOptions =
            [HTML("<option value=\"\">Any</option>")]
            + FailureKind.allCases.map { kind -> HTML in
                "<option value=\"\(kind.rawValue)\"\(HTML.attribute("selected", if: filter.failureKind == kind))>\(kind.label)</option>"
            }
        return """
            <form class="filters card" method="get" action="\(SiteURL.backups.path)" aria-label="Filter records">
            <input type="hidden" name="mode" value="\(context.mode.rawValue)">
            <input type="hidden" name="date" value="\(context.day.description)">
            <label>Status <select name="status" id="filter-status">\(statusOptions)</select></label>
            <label>Outlet <input name="outlet" id="filter-outlet" value="\(filter.outletCode ?? "")" placeholder="OUTLET0001" maxlength="64"></label>
            <label>From <input type="date" name="from" value="\(filter.from?.description ?? "")"></label>
            <label>To <input type="date" name="to" value="\(filter.to?.description ?? "")"></label>
            <label>Reason <select name="reason">\(reasonOptions)</select></label>
            <button type="submit" id="filter-apply">Filter</button>
            <a href="\(SiteURL.backups.with(context.selection))">Reset</a>
            </form>
            """
    }

    private func header(_ title: String, _ column: RecordSort.Column) -> HTML {
        let current = model.sort.column == column
        let next = RecordSort(column: column, descending: current ? !model.sort.descending : column == .date)
        let sortState: HTML =
            current ? (model.sort.descending ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"") : ""
        let arrow = current ? (model.sort.descending ? " ▼" : " ▲") : ""
        return """
            <th scope="col"\(sortState)><a href="\(SiteURL.backups.with(query(sort: next, page: 1)))">\(title)\(arrow)</a></th>
            """
    }

    private var table: HTML {
        guard !model.records.isEmpty else { return "<p class=\"empty\">No records match.</p>" }
        let operate = context.canOperate
        let rows = model.records.map { record -> HTML in
            let check: HTML =
                operate
                ? "<td><input type=\"checkbox\" name=\"outlets\" value=\"\(record.outletCode)\" aria-label=\"Select \(record.outletCode)\"></td>"
                : ""
            let action: HTML =
                operate
                ? "<td><button type=\"submit\" name=\"outlet\" value=\"\(record.outletCode)\" class=\"small\">Re-sync</button></td>"
                : ""
            let file = record.fileName.map { name -> HTML in "<span class=\"file\">\(name)</span>" } ?? "—"
            return """
                <tr class="\(record.status.rawValue)" data-outlet="\(record.outletCode)">\(check)<td><a href="\(SiteURL.outlet(record.outletCode).with(context.selection))">\(record.outletCode)</a></td><td>\(record.scanDate.description)</td><td>\(Layout.badge(record))</td><td>\(Format.dateTime(record.lastBackupAt, context.timeZone))</td><td class="file-cell">\(file)\(record.driveLetter.map { " (\($0):)" } ?? "")</td><td class="num">\(Format.size(record.fileSize))</td><td class="num">\(Format.seconds(record.duration))</td><td class="details">\(record.errorDetails ?? record.lastCheckText(timeZone: context.timeZone) ?? "")</td>\(action)</tr>

                """
        }
        let head: HTML = """
            <thead><tr>\(operate ? "<th scope=\"col\"><span class=\"visually-hidden\">Select</span></th>" as HTML : "")\(header("Outlet", .outlet))\(header("Scan date", .date))\(header("Status", .status))\(header("Last backup", .lastBackup))<th scope="col">File</th>\(header("Size", .size))\(header("Took", .duration))\(header("Details", .reason))\(operate ? "<th scope=\"col\"><span class=\"visually-hidden\">Action</span></th>" as HTML : "")</tr></thead>
            """
        let tableHTML: HTML = """
            <div class="table-wrap"><table class="records" id="records">
            \(head)
            <tbody>
            \(rows)</tbody></table></div>
            """
        guard operate else { return tableHTML }
        return """
            <form method="post" action="\(SiteURL.resync.path)" id="resync-form">
            \(context.csrfField)<input type="hidden" name="mode" value="\(context.mode.rawValue)"><input type="hidden" name="date" value="\(context.day.description)">
            <input type="hidden" name="return" value="\(SiteURL.backups.with(query()))">
            <p class="actions"><button type="submit" name="selection" value="1" id="resync-selected">Re-sync selected for \(context.day.description)</button></p>
            \(tableHTML)
            </form>
            """
    }

    private var pager: HTML {
        guard model.pageCount > 1 else { return .empty }
        let previous: HTML =
            model.page > 1
            ? "<a rel=\"prev\" href=\"\(SiteURL.backups.with(query(page: model.page - 1)))\">← Previous</a>" : ""
        let next: HTML =
            model.page < model.pageCount
            ? "<a rel=\"next\" href=\"\(SiteURL.backups.with(query(page: model.page + 1)))\">Next →</a>" : ""
        return
            "<nav class=\"pager\" aria-label=\"Pages\">\(previous) <span>Page \(model.page) of \(model.pageCount)</span> \(next)</nav>"
    }
}
