import BackupMonitor
import Foundation

/// The dashboard page: figures, failures by reason, the trend, the last scan, and the scan
/// button with its live progress (the only part that needs JavaScript).
struct DashboardView: Sendable {
    var model: DashboardModel
    var context: PageContext
    var notice: String?

    var html: HTML {
        Layout.page(
            "\(context.mode.displayName) on \(context.day)", section: .dashboard, context: context,
            body: """
                \(Layout.message(notice))\(figures)
                <div class="columns">
                <section aria-labelledby="reasons-title" class="card" id="reasons">
                <h2 id="reasons-title">Failures by reason</h2>
                \(reasons)
                </section>
                <section aria-labelledby="scan-title" class="card">
                <h2 id="scan-title">Last scan</h2>
                \(lastScan)
                \(scanPanel)
                </section>
                </div>
                <section aria-labelledby="trend-title" class="card" id="trend">
                <h2 id="trend-title">Last 30 days</h2>
                \(model.trend.svg)
                <p class="legend"><span class="key ok"></span> successful <span class="key bad"></span> failed</p>
                </section>
                \(notScanned)
                """)
    }

    private var figures: HTML {
        let backups = SiteURL.backups
        func link(_ status: String?) -> String {
            backups.with(context.selection + [("status", status)])
        }
        return """
            <section class="figures" aria-label="Figures" id="figures">
            <div class="figure"><span class="label">Outlets</span><span class="value" data-stat="outlets">\(Format.number(model.outletCount))</span></div>
            <a class="figure ok" href="\(link("success"))"><span class="label">Successful</span><span class="value" data-stat="successful">\(Format.number(model.successful))</span></a>
            <a class="figure bad" href="\(link("failed"))"><span class="label">Failed</span><span class="value" data-stat="failed">\(Format.number(model.failed))</span></a>
            <div class="figure"><span class="label">Success rate</span><span class="value" data-stat="rate">\(Format.percent(model.successful, of: model.scanned))</span></div>
            <div class="figure warn"><span class="label">Not yet scanned</span><span class="value" data-stat="unscanned">\(Format.number(model.notScanned.count))</span></div>
            </section>
            """
    }

    private var reasons: HTML {
        guard !model.failuresByReason.isEmpty else { return "<p>No failures.</p>" }
        let rows = model.failuresByReason.map { entry -> HTML in
            let url = SiteURL.backups.with(
                context.selection + [("status", "failed"), ("reason", entry.kind?.rawValue)])
            return """
                <tr><td><a href="\(url)">\(entry.kind?.label ?? "Unclassified")</a></td><td class="num">\(Format.number(entry.count))</td><td class="num">\(Format.percent(entry.count, of: model.failed))</td></tr>

                """
        }
        return """
            <table class="compact"><thead><tr><th scope="col">Reason</th><th scope="col" class="num">Outlets</th><th scope="col" class="num">Share</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            """
    }

    private var lastScan: HTML {
        guard let scan = model.lastScan else {
            return "<p id=\"last-scan\">No scan yet for \(context.mode.displayName).</p>"
        }
        let took: String
        if let finished = scan.finishedAt {
            took = Format.seconds(.milliseconds(Int64(finished.timeIntervalSince(scan.startedAt) * 1000)))
        } else {
            took = "still running"
        }
        return """
            <dl class="facts" id="last-scan">
            <dt>Started</dt><dd>\(Format.dateTime(scan.startedAt, context.timeZone))</dd>
            <dt>By</dt><dd>\(scan.triggeredBy)</dd>
            <dt>Took</dt><dd>\(took)</dd>
            <dt>Scan date</dt><dd>\(scan.day.description) (\(scan.kind.rawValue), \(scan.state.rawValue))</dd>
            <dt>Result</dt><dd>\(scan.succeeded) successful, \(scan.failed) failed of \(scan.total)\(secondTry(scan))</dd>
            </dl>\(degraded(scan))
            """
    }

    private func secondTry(_ scan: ScanRun) -> String {
        scan.secondTry.map { "; \($0)" } ?? ""
    }

    /// The monitor's own overload, said where the operator reads the scan's result.
    private func degraded(_ scan: ScanRun) -> HTML {
        guard let sentence = scan.degraded else { return "" }
        return "\n<p class=\"message error\" id=\"scan-degraded\">\(sentence)</p>"
    }

    /// The scan button posts a plain form (works without JavaScript); `app.js` turns it into an
    /// API call and follows the scan's events live.
    private var scanPanel: HTML {
        let running = model.runningScan
        let progress: HTML = """
            <div id="scan-progress" class="progress"\(HTML.attribute("hidden", if: running == nil)) data-scan-id="\(running?.scanID ?? "")" data-total="\(running?.total ?? 0)">
            <div class="bar" role="progressbar" aria-label="Scan progress" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div class="fill"></div></div>
            <p class="progress-text" aria-live="polite">\(running.map { "A \($0.mode.displayName) scan of \($0.day) is running (\($0.total) outlets)." } ?? "")</p>
            <ul class="scan-failures" aria-label="Failures so far"></ul>
            </div>
            """
        guard context.canOperate else { return progress }
        return """
            <form method="post" action="\(SiteURL.startScan.path)" id="scan-form" data-mode="\(context.mode.rawValue)" data-date="\(context.day.description)">
            \(context.csrfField)<input type="hidden" name="mode" value="\(context.mode.rawValue)"><input type="hidden" name="date" value="\(context.day.description)">
            <button type="submit" class="primary" id="scan-button">Scan \(context.mode.displayName) for \(context.day.description)</button>
            </form>
            \(progress)
            """
    }

    private var notScanned: HTML {
        guard !model.notScanned.isEmpty else { return .empty }
        let shown = model.notScanned.prefix(60).map { code -> HTML in
            "<li><a href=\"\(SiteURL.outlet(code).with(context.selection))\">\(code)</a></li>"
        }
        let more: HTML =
            model.notScanned.count > 60
            ? "<li>and \(model.notScanned.count - 60) more</li>" : .empty
        return """
            <section aria-labelledby="unscanned-title" class="card" id="unscanned">
            <h2 id="unscanned-title">Not yet scanned (\(model.notScanned.count))</h2>
            <ul class="codes">\(shown)\(more)</ul>
            </section>
            """
    }
}
