import BackupMonitor

/// Builds the dashboard from grouped queries, never from the day's records one by one: the
/// 30-day counts (whose last day gives the totals), the day's failures by reason, the codes of
/// the outlets scanned that day, the enabled outlets, and the last scan.
struct DashboardQuery: Sendable {
    let dependencies: AppDependencies

    func model(_ page: PageContext) async throws -> DashboardModel {
        let records = dependencies.records
        let day = RecordFilter(mode: page.mode, from: page.day, to: page.day)
        let from = page.day.adding(days: -29)
        let counts = try await records.dailyCounts(matching: RecordFilter(mode: page.mode, from: from, to: page.day))
        let today = counts.first { $0.day == page.day }
        let reasons = try await records.failureCounts(matching: day)
        let seen = Set(try await records.outletCodes(matching: day))
        let outlets = try await dependencies.outlets.all(enabledOnly: true)
        return DashboardModel(
            outletCount: outlets.count,
            successful: today?.successful ?? 0,
            failed: today?.failed ?? 0,
            notScanned: outlets.map(\.code).filter { !seen.contains($0) },
            failuresByReason: reasons.map { ($0.kind, $0.count) },
            trend: TrendChart(days: counts, from: from, to: page.day),
            lastScan: try await dependencies.scans.recent(mode: page.mode, limit: 1).first,
            runningScan: await dependencies.coordinator.runningScan(page.mode))
    }
}
