import BackupMonitor

/// The summary of a filtered range (counts per day, failures by reason, outlets) and a short
/// preview page, all from `RecordRepository`.
struct ReportsQuery: Sendable {
    let dependencies: AppDependencies

    static let previewSize = 25

    func model(filter: RecordFilter) async throws -> ReportsModel {
        let records = dependencies.records
        let days = try await records.dailyCounts(matching: filter)
        let reasons = try await records.failureCounts(matching: filter)
        let outlets = try await records.outletCount(matching: filter)
        let preview = try await records.records(matching: filter, limit: Self.previewSize)
        return ReportsModel(
            filter: filter, total: days.map(\.total).reduce(0, +), successful: days.map(\.successful).reduce(0, +),
            outlets: outlets, failuresByReason: reasons.map { ($0.kind, $0.count) }, days: days, preview: preview)
    }
}
