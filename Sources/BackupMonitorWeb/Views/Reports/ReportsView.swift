import BackupMonitor

/// The reports page: filters (a GET form), the summary, a preview and the CSV link for the
/// same filter.
struct ReportsView: Sendable {
    var model: ReportsModel
    var context: PageContext

    private var filterQuery: [(String, String?)] {
        let filter = model.filter
        return [
            ("mode", filter.mode.rawValue), ("date", context.day == context.today ? nil : context.day.description),
            ("outlet", filter.outletCode), ("from", filter.from?.description), ("to", filter.to?.description),
            ("status", filter.status?.rawValue),
        ]
    }

    var html: HTML {
        Layout.page(
            "Reports", section: .reports, context: context,
            body: """
                \(filters)
                <section class="card" aria-labelledby="summary-title">
                <h2 id="summary-title">Summary: \(model.filter.mode.displayName), \(model.filter.from?.description ?? "…") to \(model.filter.to?.description ?? "…")</h2>
                <div class="figures">
                <div class="figure"><span class="label">Records</span><span class="value" data-stat="records">\(Format.number(model.total))</span></div>
                <div class="figure ok"><span class="label">Successful</span><span class="value" data-stat="successful">\(Format.number(model.successful))</span></div>
                <div class="figure bad"><span class="label">Failed</span><span class="value" data-stat="failed">\(Format.number(model.failed))</span></div>
                <div class="figure"><span class="label">Success rate</span><span class="value">\(Format.percent(model.successful, of: model.total))</span></div>
                <div class="figure"><span class="label">Outlets</span><span class="value">\(Format.number(model.outlets))</span></div>
                <div class="figure"><span class="label">Days</span><span class="value">\(Format.number(model.days.count))</span></div>
                </div>
                \(reasons)
                <p><a class="button primary" id="export-csv" href="\(SiteURL.reportExport.with(filterQuery))" download>Export CSV (\(Format.number(model.total)) rows)</a></p>
                </section>
                <section class="card" aria-labelledby="preview-title">
                <h2 id="preview-title">First \(min(ReportsQuery.previewSize, model.total)) rows</h2>
                \(preview)
                </section>
                """)
    }

    private var filters: HTML {
        let filter = model.filter
        let modes = ScanMode.allCases.map { mode -> HTML in
            "<option value=\"\(mode.rawValue)\"\(HTML.attribute("selected", if: filter.mode == mode))>\(mode.displayName)</option>"
        }
        let statuses: [(String, String)] = [("", "Any"), ("success", "Successful"), ("failed", "Failed")]
        let statusOptions = statuses.map { value, label -> HTML in
            "<option value=\"\(value)\"\(HTML.attribute("selected", if: (filter.status?.rawValue ?? "") == value))>\(label)</option>"
        }
        return """
            <form class="filters card" method="get" action="\(SiteURL.reports.path)" aria-label="Report filter">
            <input type="hidden" name="date" value="\(context.day.description)">
            <label>Mode <select name="mode">\(modes)</select></label>
            <label>Outlet <input name="outlet" value="\(filter.outletCode ?? "")" placeholder="all outlets" maxlength="64"></label>
            <label>From <input type="date" name="from" value="\(filter.from?.description ?? "")"></label>
            <label>To <input type="date" name="to" value="\(filter.to?.description ?? "")"></label>
            <label>Status <select name="status">\(statusOptions)</select></label>
            <button type="submit">Apply</button>
            </form>
            """
    }

    private var reasons: HTML {
        guard !model.failuresByReason.isEmpty else { return .empty }
        let items = model.failuresByReason.map { entry -> HTML in
            "<li>\(entry.kind?.label ?? "Unclassified"): <strong>\(Format.number(entry.count))</strong></li>"
        }
        return "<h3>Failures by reason</h3><ul class=\"reasons\">\(items)</ul>"
    }

    private var preview: HTML {
        guard !model.preview.isEmpty else { return "<p class=\"empty\">No records in this range.</p>" }
        let rows = model.preview.map { record -> HTML in
            "<tr><td>\(record.outletCode)</td><td>\(record.scanDate.description)</td><td>\(Layout.badge(record))</td><td class=\"file\">\(record.fileName ?? "—")</td><td class=\"num\">\(Format.size(record.fileSize))</td><td class=\"details\">\(record.errorDetails ?? "")</td></tr>\n"
        }
        return """
            <div class="table-wrap"><table class="compact"><thead><tr><th scope="col">Outlet</th><th scope="col">Scan date</th><th scope="col">Status</th><th scope="col">File</th><th scope="col" class="num">Size</th><th scope="col">Details</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            """
    }
}
