import BackupMonitor

/// Reads one sorted page of records and the count of all that match, from `RecordRepository`
/// (the one place that knows the records' SQL).
struct BackupsQuery: Sendable {
    let dependencies: AppDependencies

    static let pageSize = 50

    func model(filter: RecordFilter, sort: RecordSort, page: Int, notice: String?) async throws -> BackupsModel {
        let total = try await dependencies.records.count(matching: filter)
        let pageCount = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let page = min(max(1, page), pageCount)
        let records = try await dependencies.records.records(
            matching: filter, sort: sort, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
        return BackupsModel(
            filter: filter, sort: sort, page: page, pageSize: Self.pageSize, total: total, records: records,
            notice: notice)
    }
}
