import BackupMonitor

/// The outlet and its last 90 days, one query per mode.
struct OutletQuery: Sendable {
    let dependencies: AppDependencies

    static let days = 90

    func model(code: String, page: PageContext) async throws -> OutletModel? {
        guard let outlet = try await dependencies.outlets.outlet(code: code) else { return nil }
        let from = page.day.adding(days: -(Self.days - 1))
        var history: [ScanMode: [BackupRecord]] = [:]
        for mode in ScanMode.allCases {
            history[mode] = try await dependencies.records.records(
                matching: RecordFilter(mode: mode, outletCode: code, from: from, to: page.day), limit: Self.days)
        }
        return OutletModel(outlet: outlet, from: from, to: page.day, history: history)
    }
}
