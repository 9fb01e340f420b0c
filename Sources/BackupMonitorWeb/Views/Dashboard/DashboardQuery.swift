import BackupMonitor

/// Builds the dashboard from the day's records (one query), the 30-day counts (one grouped
/// query), the enabled outlets, and the last scan.
struct DashboardQuery: Sendable {
    let dependencies: AppDependencies

    func model(_ page: PageContext) async throws -> DashboardModel {
        let filter = RecordFilter(mode: page.mode, from: page.day, to: page.day)
        let records = try await dependencies.records.records(matching: filter, limit: 1_000_000)
        let outlets = try await dependencies.outlets.all(enabledOnly: true)
        let seen = Set(records.map(\.outletCode))
        var reasons: [FailureKind?: Int] = [:]
        for record in records where record.status == .failed { reasons[record.failureKind, default: 0] += 1 }
        let from = page.day.adding(days: -29)
        let counts = try await dependencies.records.dailyCounts(
            matching: RecordFilter(mode: page.mode, from: from, to: page.day))
        return DashboardModel(
            outletCount: outlets.count,
            successful: records.filter { $0.status == .success }.count,
            failed: records.filter { $0.status == .failed }.count,
            notScanned: outlets.map(\.code).filter { !seen.contains($0) },
            failuresByReason: reasons.map { ($0.key, $0.value) }.sorted {
                $0.count != $1.count ? $0.count > $1.count : ($0.kind?.rawValue ?? "") < ($1.kind?.rawValue ?? "")
            },
            trend: TrendChart(days: counts, from: from, to: page.day),
            lastScan: try await dependencies.scans.recent(mode: page.mode, limit: 1).first,
            runningScan: await dependencies.coordinator.runningScan(page.mode))
    }
}
