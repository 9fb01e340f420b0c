import BackupMonitor

/// One query for the outlets and one per mode for the day's verdicts, joined in memory: the
/// page stays fast with thousands of outlets (no query per outlet).
struct ServersQuery: Sendable {
    let dependencies: AppDependencies

    func model(
        _ page: PageContext, search: String?, status: ServersModel.StatusFilter?, region: String?
    ) async throws -> ServersModel {
        let outlets = try await dependencies.outlets.all()
        var byMode: [ScanMode: [String: RecordVerdict]] = [:]
        for mode in ScanMode.allCases {
            let verdicts = try await dependencies.records.verdicts(mode: mode, day: page.day)
            var byCode = [String: RecordVerdict](minimumCapacity: verdicts.count)
            // One per outlet: (mode, outlet, day) is the records' primary key.
            for verdict in verdicts { byCode[verdict.outletCode] = verdict }
            byMode[mode] = byCode
        }
        let needle = search?.lowercased()
        let cards = outlets.compactMap { outlet -> ServersModel.Card? in
            if let region, outlet.region != region { return nil }
            if let needle,
                ![outlet.code, outlet.name, outlet.host, outlet.region].contains(where: {
                    $0.lowercased().contains(needle)
                })
            {
                return nil
            }
            var verdicts = ServersModel.ModeVerdicts()
            for mode in ScanMode.allCases { verdicts[mode] = byMode[mode]?[outlet.code] }
            if let status {
                let record = verdicts[page.mode]
                switch status {
                case .success where record?.status != .success: return nil
                case .failed where record?.status != .failed: return nil
                case .unscanned where record != nil: return nil
                default: break
                }
            }
            return ServersModel.Card(outlet: outlet, verdicts: verdicts)
        }
        return ServersModel(
            search: search, status: status, region: region,
            regions: Set(outlets.map(\.region)).filter { !$0.isEmpty }.sorted(), outletCount: outlets.count,
            cards: cards)
    }
}
