import BackupMonitor
import Foundation
import Hummingbird

/// The original system's scan endpoints (SPEC §7): the SSE full-scan streams and the re-sync
/// of listed outlets, one pair per mode, with the original paths and field names.
struct LegacyScanController {
    let dependencies: AppDependencies

    var endpoints: [Endpoint] {
        ScanMode.allCases.flatMap { mode -> [Endpoint] in
            let prefix = Self.prefix(mode)
            return [
                Endpoint(
                    .get, "/api/v1/\(prefix)-status/scan", .role(.operator),
                    OperationDoc(
                        "\(mode.rawValue)ScanStream",
                        "Full \(mode.displayName) scan of every enabled outlet with live progress (SSE). A second "
                            + "request while a scan runs joins it and replays its events from the start.",
                        tag: "Original API",
                        parameters: [
                            .query(
                                "scan_date", Schema.date,
                                "The day to judge (default today); a past day rebuilds history."),
                            .header(
                                "Last-Event-ID", ["type": "string", "pattern": "^([0-9a-f-]{36}:)?[0-9]+$"],
                                "An event id as this server sent it (SCAN_ID:N): resumes that scan, never starts one."),
                        ],
                        success: (200, .eventStream), errors: [204, 409]),
                    handler: { request, context in try await scanStream(mode, request, context) }),
                Endpoint(
                    .post, "/api/v1/\(prefix)-status/sync", .role(.operator),
                    OperationDoc(
                        "\(mode.rawValue)Sync",
                        "Re-scan the listed outlets (\(mode.displayName)) and answer with the summary object.",
                        tag: "Original API",
                        parameters: [.query("scan_date", Schema.date, "The day to judge (default today).")],
                        body: .json(
                            Schema.object(
                                ["outlets": Schema.array(Schema.outletCode, maxItems: 5000)], required: ["outlets"])),
                        success: (200, .json(Schema.ref("ScanSummary"))), errors: [409, 415]),
                    handler: { request, context in try await sync(mode, request, context) }),
            ]
        }
    }

    static func prefix(_ mode: ScanMode) -> String {
        mode == .ddrive ? "backup" : "ibstorage"
    }

    private func scanStream(_ mode: ScanMode, _ request: Request, _ context: MonitorRequestContext) async throws
        -> Response
    {
        let scans = dependencies.scanRequests
        let day = try scans.day(QueryReader(request).day("scan_date"), field: "scan_date")
        // A reconnecting EventSource resumes what it followed and never starts a scan: left
        // alone, a page that never closes its stream would re-scan the fleet every few seconds.
        if let lastEventID = try ServerSentEventStream.EventID.lastEventID(request) {
            return try await ScanStreamResumption(dependencies: dependencies).resume(after: lastEventID, mode: mode)
        }
        let subscription = try await scans.start(mode: mode, day: day, triggeredBy: context.scanTrigger)
        return ServerSentEventStream.response(
            items: ServerSentEventStream.items(subscription.events), joined: subscription.joined,
            resumeAfter: nil, keepAlive: dependencies.keepAliveInterval,
            timeZone: dependencies.configuration.timeZone)
    }

    struct SyncBody: Decodable {
        var outlets: [String]
    }

    private func sync(_ mode: ScanMode, _ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        let scans = dependencies.scanRequests
        let day = try scans.day(QueryReader(request).day("scan_date"), field: "scan_date")
        let body = try await JSONBody.decode(
            SyncBody.self, request, context, example: #"{"outlets":["OUTLET001","OUTLET005"]}"#)
        let codes = try scans.outletCodes(body.outlets)
        let seen = Set(codes)
        let summary = try await scans.run(mode: mode, day: day, outletCodes: codes, triggeredBy: context.scanTrigger)
        var response = LegacyScanResponse(summary, timeZone: dependencies.configuration.timeZone)
        // Joining a running full scan answers with that scan: keep only the outlets asked about.
        response.data = response.data.filter { seen.contains($0.outletServer) }
        response.advancedDate = response.advancedDate.filter { seen.contains($0.outletServer) }
        response.notStored = response.notStored.filter { seen.contains($0.outletServer) }
        response.notStoredCount = response.notStored.count
        response.count = response.data.count
        response.advancedDateCount = response.advancedDate.count
        response.successCount = response.data.filter { $0.status == LegacyRecordPayload.successful }.count
        response.failedCount = response.count - response.successCount
        return JSONResponse.make(response)
    }
}
