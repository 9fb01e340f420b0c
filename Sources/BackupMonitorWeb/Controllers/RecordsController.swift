import BackupMonitor
import Foundation
import Hummingbird

/// Stored records and daily summaries of the original API (SPEC §7), one pair per mode.
struct RecordsController {
    let dependencies: AppDependencies

    private static let filters: [OperationDoc.Parameter] = [
        .query("outlet", Schema.outletCode, "Only this outlet."),
        .query("date_from", Schema.date, "First scan date (inclusive)."),
        .query("date_to", Schema.date, "Last scan date (inclusive)."),
        .query("scan_date", Schema.date, "One scan date (instead of date_from/date_to)."),
    ]

    var endpoints: [Endpoint] {
        ScanMode.allCases.flatMap { mode -> [Endpoint] in
            let prefix = LegacyScanController.prefix(mode)
            return [
                Endpoint(
                    .get, "/api/v1/\(prefix)-stats", .role(.viewer),
                    OperationDoc(
                        "\(mode.rawValue)Records", "Stored \(mode.displayName) records, newest day first.",
                        tag: "Original API",
                        parameters: Self.filters + [
                            .query(
                                "status",
                                Schema.enumeration([
                                    "Successful", "Failed", "Success", "success", "successful", "failed",
                                ]),
                                "Only this status."),
                            .query(
                                "error_kind", Schema.enumeration(FailureKind.allCases.map(\.rawValue)),
                                "Only this failure kind."),
                            .query("limit", Schema.integer(1, 1000, default: 30), "Records per page."),
                            .query("offset", Schema.integer(0, 10_000_000), "Records to skip."),
                            .query("page", Schema.integer(1, 1_000_000), "1-based page (instead of offset)."),
                        ],
                        success: (200, .json(Schema.ref("RecordsPage")))),
                    handler: { request, _ in try await records(mode, request) }),
                Endpoint(
                    .get, "/api/v1/\(prefix)-stats/daily-summary", .role(.viewer),
                    OperationDoc(
                        "\(mode.rawValue)DailySummary",
                        "Successful and failed outlets per day (\(mode.displayName)); default the last 30 days; "
                            + "with `limit`, at most that many days, the newest.",
                        tag: "Original API",
                        parameters: Self.filters + [
                            .query("limit", Schema.integer(1, 3660, default: 30), "Days at most (the newest).")
                        ],
                        success: (200, .json(Schema.ref("DailySummary")))),
                    handler: { request, _ in try await dailySummary(mode, request) }),
            ]
        }
    }

    private struct RecordsPage: Encodable {
        var status = "success"
        var data: [LegacyRecordPayload]
        var count: Int
        var total: Int
        var limit: Int
        var offset: Int
        var page: Int
        /// The records of this page whose newest backup is later than their day (SPEC §4).
        var advancedDate: [LegacyRecordPayload]
        var advancedDateCount: Int
        var processingTime: Double
        var timestamp: String
    }

    private func records(_ mode: ScanMode, _ request: Request) async throws -> Response {
        let clock = LegacyEnvelopeClock()
        let query = QueryReader(request)
        let (from, to) = try query.dateRange()
        let filter = RecordFilter(
            mode: mode, outletCode: try query.outletCode("outlet"), from: from, to: to,
            status: try query.status("status"), failureKind: try query.choice("error_kind", as: FailureKind.self))
        let (limit, offset) = try query.paging()
        let repository = dependencies.records
        let records = try await repository.records(matching: filter, limit: limit, offset: offset)
        let total = try await repository.count(matching: filter)
        let timeZone = dependencies.configuration.timeZone
        let data = records.map { LegacyRecordPayload($0, timeZone: timeZone) }
        let advanced = data.filter(\.advancedDate)
        return JSONResponse.make(
            RecordsPage(
                data: data, count: records.count, total: total, limit: limit, offset: offset, page: offset / limit + 1,
                advancedDate: advanced, advancedDateCount: advanced.count, processingTime: clock.processingTime,
                timestamp: JSONResponse.timestamp(Date(), timeZone)))
    }

    private struct DaySummary: Encodable {
        var date: String
        var total: Int
        var successful: Int
        var failed: Int
        var successRate: Double
    }

    private struct DailySummaryPage: Encodable {
        var status = "success"
        var mode: String
        var dateFrom: String
        var dateTo: String
        var data: [DaySummary]
        var count: Int
        /// Days are counts, not records: the envelope's advanced list is always empty here.
        var advancedDate: [LegacyRecordPayload] = []
        var advancedDateCount = 0
        var processingTime: Double
        var timestamp: String
    }

    /// The days of a daily summary: `date_from`..`date_to` (default the 30 days to today), and
    /// with `limit` at most that many of them, the newest.
    static let summaryDays = 1...3660

    private func dailySummary(_ mode: ScanMode, _ request: Request) async throws -> Response {
        let clock = LegacyEnvelopeClock()
        let query = QueryReader(request)
        let range = try query.dateRange()
        let limit = try query.integer("limit", in: Self.summaryDays)
        let to = range.to ?? dependencies.today
        var from = range.from ?? to.adding(days: -((limit ?? 30) - 1))
        if let limit, from <= to, from.days(until: to) >= limit { from = to.adding(days: -(limit - 1)) }
        if from > to {
            throw APIError.badRequest("date_from \(from) is after date_to \(to)", parameter: "date_from")
        }
        guard from.days(until: to) < 3660 else {
            throw APIError.badRequest("the range may span at most ten years", parameter: "date_from")
        }
        let counts = try await dependencies.records.dailyCounts(
            matching: RecordFilter(mode: mode, outletCode: try query.outletCode("outlet"), from: from, to: to))
        let days = counts.map { count in
            DaySummary(
                date: count.day.description, total: count.total, successful: count.successful, failed: count.failed,
                successRate: count.total == 0
                    ? 0 : (Double(count.successful) * 10000 / Double(count.total)).rounded() / 100)
        }
        return JSONResponse.make(
            DailySummaryPage(
                mode: mode.rawValue, dateFrom: from.description, dateTo: to.description, data: days, count: days.count,
                processingTime: clock.processingTime,
                timestamp: JSONResponse.timestamp(Date(), dependencies.configuration.timeZone)))
    }
}
