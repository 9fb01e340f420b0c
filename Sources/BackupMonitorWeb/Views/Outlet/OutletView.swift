import BackupMonitor

/// The outlet page: its settings and today's verdicts, a re-sync button, the heat map, the
/// size trend, the files seen last and the last error of each mode.
struct OutletView: Sendable {
    var model: OutletModel
    var context: PageContext
    var notice: String?

    var html: HTML {
        let outlet = model.outlet
        return Layout.page(
            "\(outlet.code)\(outlet.name.isEmpty ? "" : " · \(outlet.name)")", section: .servers, context: context,
            body: """
                \(Layout.message(notice))<p><a href="\(SiteURL.servers.with(context.selection))">← All servers</a></p>
                <div class="columns">
                <section class="card" aria-labelledby="outlet-facts">
                <h2 id="outlet-facts">Outlet</h2>
                <dl class="facts">
                <dt>Host</dt><dd>\(outlet.host):\(outlet.port)</dd>
                <dt>Region</dt><dd>\(outlet.region.isEmpty ? "—" : outlet.region)</dd>
                <dt>Enabled</dt><dd>\(outlet.enabled ? "yes" : "no")</dd>
                <dt>Share override</dt><dd>\(outlet.shareOverride ?? "—")</dd>
                <dt>Folder override</dt><dd>\(outlet.folderOverride ?? "—")</dd>
                <dt>Last IBSTORAGE drive</dt><dd>\(outlet.lastIBStorageDrive ?? "—")</dd>
                </dl>
                </section>
                <section class="card" aria-labelledby="outlet-today">
                <h2 id="outlet-today">\(context.day.description)</h2>
                \(today)
                </section>
                </div>
                <section class="card" aria-labelledby="history-title">
                <h2 id="history-title">History, last \(OutletQuery.days) days</h2>
                \(model.heatMap.svg)
                <p class="legend"><span class="key ok"></span> successful <span class="key bad"></span> failed <span class="key none"></span> no record</p>
                </section>
                <section class="card" aria-labelledby="size-title">
                <h2 id="size-title">Backup size</h2>
                \(model.recentFiles.isEmpty ? "<p>No backup file seen in this period.</p>" : model.sizeChart.svg)
                </section>
                <div class="columns">
                <section class="card" aria-labelledby="files-title">
                <h2 id="files-title">Last files seen</h2>
                \(files)
                </section>
                <section class="card" aria-labelledby="errors-title">
                <h2 id="errors-title">Last error</h2>
                \(errors)
                </section>
                </div>
                """)
    }

    private var today: HTML {
        let rows = ScanMode.allCases.map { mode -> HTML in
            let record = model.history[mode]?.first { $0.scanDate == context.day }
            return
                "<dt>\(mode.displayName)</dt><dd id=\"today-\(mode.rawValue)\">\(Layout.badge(record)) \(record?.errorDetails ?? record?.fileName ?? "")\(lastCheck(record))</dd>"
        }
        let resync: HTML =
            context.canOperate
            ? """
            <form method="post" action="\(SiteURL.resync.path)" class="inline">
            \(context.csrfField)<input type="hidden" name="mode" value="\(context.mode.rawValue)"><input type="hidden" name="date" value="\(context.day.description)"><input type="hidden" name="return" value="\(SiteURL.outlet(model.outlet.code).with(context.selection))">
            <button type="submit" name="outlet" value="\(model.outlet.code)" id="outlet-resync">Re-sync \(context.mode.displayName)</button>
            </form>
            """ : ""
        return "<dl class=\"facts\">\(rows)</dl>\n\(resync)"
    }

    private var files: HTML {
        let records = model.recentFiles
        guard !records.isEmpty else { return "<p>No backup file seen in this period.</p>" }
        let rows = records.map { record -> HTML in
            "<tr><td>\(record.scanDate.description)</td><td>\(record.mode.displayName)\(record.driveLetter.map { " (\($0):)" } ?? "")</td><td class=\"file\">\(record.fileName ?? "")</td><td class=\"num\">\(Format.size(record.fileSize))</td><td>\(Format.dateTime(record.lastBackupAt, context.timeZone))</td></tr>\n"
        }
        return """
            <div class="table-wrap"><table class="compact"><thead><tr><th scope="col">Scan date</th><th scope="col">Mode</th><th scope="col">File</th><th scope="col" class="num">Size</th><th scope="col">Written</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            """
    }

    private var errors: HTML {
        let entries = ScanMode.allCases.map { mode -> HTML in
            guard let record = model.lastError(mode) else {
                return "<dt>\(mode.displayName)</dt><dd>No failure in this period.</dd>"
            }
            return
                "<dt>\(mode.displayName)</dt><dd><strong>\(record.scanDate.description): \(record.failureKind?.label ?? "Failed")</strong><br>\(record.errorDetails ?? "")</dd>"
        }
        return "<dl class=\"facts\">\(entries)</dl>"
    }

    /// A good record kept against a later check that failed at connection level (SPEC §5).
    private func lastCheck(_ record: BackupRecord?) -> HTML {
        guard let text = record?.lastCheckText(timeZone: context.timeZone) else { return "" }
        return "<br><span class=\"last-check\">\(text)</span>"
    }
}
