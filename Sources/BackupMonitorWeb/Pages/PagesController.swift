import BackupMonitor
import Foundation
import Hummingbird

/// The web UI (SPEC §8): server-rendered pages, each a Query that builds a Model and a View
/// that renders it. Forms post here (with the `_csrf` field); the API stays JSON-only.
struct PagesController: Sendable {
    let dependencies: AppDependencies
    var clock: PageClock = .system

    var routes: [PageRoute] {
        [
            .open(.get, SiteURL.login.path) { request, _ in try await loginForm(request) },
            .open(.post, SiteURL.login.path) { request, context in try await login(request, context) },
            .page(.post, SiteURL.logout.path, .viewer) { _, context, _ in try await logout(context) },
            .open(.get, SiteURL.stylesheet.path) { request, _ in Assets.response(Assets.stylesheet, request) },
            .open(.get, SiteURL.script.path) { request, _ in Assets.response(Assets.script, request) },
            .page(.get, SiteURL.dashboard.path, .viewer) { request, _, page in try await dashboard(request, page) },
            .page(.post, SiteURL.startScan.path, .operator) { request, context, page in
                try await startScan(request, context, page)
            },
            .page(.get, SiteURL.backups.path, .viewer) { request, _, page in try await backups(request, page) },
            .page(.post, SiteURL.resync.path, .operator) { request, context, page in
                try await resync(request, context, page)
            },
            .page(.get, SiteURL.servers.path, .viewer) { request, _, page in try await servers(request, page) },
            .page(.get, "/servers/{code}", .viewer) { request, context, page in
                try await outlet(request, context, page)
            },
            .page(.get, SiteURL.reports.path, .viewer) { request, _, page in try await reports(request, page) },
            .page(.get, SiteURL.reportExport.path, .viewer) { request, _, page in try export(request, page) },
        ] + settingsRoutes
    }

    // MARK: Pages

    private func dashboard(_ request: Request, _ page: PageContext) async throws -> Response {
        let model = try await DashboardQuery(dependencies: dependencies).model(page)
        let notice = try QueryReader.page(request).string("started") != nil ? "The scan has started." : nil
        return PageResponse.html(DashboardView(model: model, context: page, notice: notice).html)
    }

    private func backups(_ request: Request, _ page: PageContext) async throws -> Response {
        let query = QueryReader.page(request)
        let (from, to) = try query.range(defaultFrom: page.day, defaultTo: page.day)
        let filter = RecordFilter(
            mode: page.mode, outletCode: try query.outletCode("outlet"), from: from, to: to,
            status: try query.choice("status", as: BackupStatus.self),
            failureKind: try query.choice("reason", as: FailureKind.self))
        var sort = RecordSort.standard
        if let text = try query.string("sort", maxLength: 20) {
            guard let parsed = RecordSort(text) else {
                let names = RecordSort.Column.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.badRequest("sort must be one of \(names), with - for descending", parameter: "sort")
            }
            sort = parsed
        }
        let model = try await BackupsQuery(dependencies: dependencies).model(
            filter: filter, sort: sort, page: try query.pageNumber(), notice: try Self.resyncNotice(query))
        return PageResponse.html(BackupsView(model: model, context: page).html)
    }

    private func servers(_ request: Request, _ page: PageContext) async throws -> Response {
        let query = QueryReader.page(request)
        let model = try await ServersQuery(dependencies: dependencies).model(
            page, search: try query.string("q", maxLength: 100),
            status: try query.choice("status", as: ServersModel.StatusFilter.self),
            region: try query.string("region", maxLength: 100))
        return PageResponse.html(ServersView(model: model, context: page).html)
    }

    private func outlet(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let code = try PathReader.outletCode(context)
        guard let model = try await OutletQuery(dependencies: dependencies).model(code: code, page: page) else {
            throw APIError.notFound("There is no outlet \(code).")
        }
        return PageResponse.html(
            OutletView(model: model, context: page, notice: try Self.resyncNotice(QueryReader.page(request))).html)
    }

    private func reportFilter(_ request: Request, _ page: PageContext) throws -> RecordFilter {
        let query = QueryReader.page(request)
        let (from, to) = try query.range(defaultFrom: page.day.adding(days: -29), defaultTo: page.day)
        return RecordFilter(
            mode: page.mode, outletCode: try query.outletCode("outlet"), from: from, to: to,
            status: try query.choice("status", as: BackupStatus.self))
    }

    private func reports(_ request: Request, _ page: PageContext) async throws -> Response {
        let model = try await ReportsQuery(dependencies: dependencies).model(filter: try reportFilter(request, page))
        return PageResponse.html(ReportsView(model: model, context: page).html)
    }

    private func export(_ request: Request, _ page: PageContext) throws -> Response {
        ReportCSV.response(
            filter: try reportFilter(request, page), database: dependencies.database, timeZone: page.timeZone)
    }

    // MARK: Scans

    /// The scan button without JavaScript: starts (or joins) the scan and shows the dashboard,
    /// which then reports the running scan.
    private func startScan(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let form = try await FormBody.read(request, context)
        let (mode, day) = try Self.modeAndDay(form, page)
        let scans = dependencies.scanRequests
        let subscription = try await scans.start(
            mode: mode, day: try scans.day(day, field: "date"), triggeredBy: context.scanTrigger)
        // Wait for the `started` event so the dashboard that follows shows the scan running.
        for await _ in subscription.events { break }
        return PageResponse.redirect(
            SiteURL.dashboard.with([
                ("mode", mode.rawValue), ("date", day == page.today ? nil : day.description), ("started", "1"),
            ]))
    }

    /// Re-sync per row, for the ticked rows, or from the outlet page; waits for the result,
    /// then returns to the page it came from with a summary.
    private func resync(_ request: Request, _ context: MonitorRequestContext, _ page: PageContext) async throws
        -> Response
    {
        let form = try await FormBody.read(request, context)
        let (mode, day) = try Self.modeAndDay(form, page)
        let ticked = form.value("outlet").map { [$0] } ?? form.values("outlets")
        guard !ticked.isEmpty else {
            throw APIError.badRequest("Tick at least one outlet to re-sync.", parameter: "outlets")
        }
        let scans = dependencies.scanRequests
        let codes = try scans.outletCodes(ticked)
        let seen = Set(codes)
        let summary = try await scans.run(
            mode: mode, day: try scans.day(day, field: "date"), outletCodes: codes, triggeredBy: context.scanTrigger)
        let records = summary.records.filter { seen.contains($0.outletCode) }
        let succeeded = records.filter { $0.status == .success }.count
        var target = Self.localReturn(form.value("return")) ?? SiteURL.backups.with(page.selection)
        target += (target.contains("?") ? "&" : "?") + "resynced=\(records.count)&ok=\(succeeded)"
        if codes.count == 1 { target += "&code=" + SiteURL.component(codes[0]) }
        return PageResponse.redirect(target)
    }

    static func modeAndDay(_ form: FormBody, _ page: PageContext) throws -> (ScanMode, CalendarDay) {
        var mode = page.mode
        if let text = form.value("mode") {
            guard let parsed = ScanMode(rawValue: text) else {
                throw APIError.badRequest("mode must be ddrive or ibstorage", parameter: "mode")
            }
            mode = parsed
        }
        var day = page.day
        if let text = form.value("date") {
            guard let parsed = CalendarDay(text) else {
                throw APIError.badRequest("date must be a real date as YYYY-MM-DD", parameter: "date")
            }
            day = parsed
        }
        return (mode, day)
    }

    /// A return address from a form: only a path on this site, never another host.
    static func localReturn(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"), value.count <= 2000,
            !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        return value
    }

    static func resyncNotice(_ query: QueryReader) throws -> String? {
        guard let count = try query.string("resynced", maxLength: 6).flatMap(Int.init),
            let succeeded = try query.string("ok", maxLength: 6).flatMap(Int.init)
        else { return nil }
        let what = try query.outletCode("code") ?? "\(count) outlet\(count == 1 ? "" : "s")"
        return "Re-synced \(what): \(succeeded) successful, \(count - succeeded) failed."
    }
}
