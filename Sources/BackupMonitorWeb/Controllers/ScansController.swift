import BackupMonitor
import Foundation
import Hummingbird

/// Scans as a resource (SPEC §6): start one, list past ones, read one, follow one live with
/// server-sent events that resume after `Last-Event-ID`.
struct ScansController {
    let dependencies: AppDependencies

    var endpoints: [Endpoint] {
        let id = OperationDoc.Parameter.path("id", Schema.uuid, "Scan id.")
        return [
            Endpoint(
                .post, "/api/v1/scans", .role(.operator),
                OperationDoc(
                    "startScan",
                    "Start a scan (all enabled outlets, or `outlets`); joins the running scan of the same mode.",
                    tag: "Scans",
                    body: .json(
                        Schema.object(
                            [
                                "mode": Schema.enumeration(ScanMode.allCases.map(\.rawValue)), "date": Schema.date,
                                "outlets": Schema.array(Schema.outletCode, maxItems: 5000),
                            ], required: ["mode"])),
                    success: (
                        202,
                        .json(
                            Schema.object([
                                "status": Schema.string, "scan": Schema.ref("Scan"), "joined": Schema.boolean,
                                "events": Schema.string,
                            ]))
                    ),
                    errors: [409, 415]),
                handler: { request, context in try await start(request, context) }),
            Endpoint(
                .get, "/api/v1/scans", .role(.viewer),
                OperationDoc(
                    "listScans", "Past and running scans, newest first.", tag: "Scans",
                    parameters: [
                        .query("mode", Schema.enumeration(ScanMode.allCases.map(\.rawValue)), "Only this mode."),
                        .query("limit", Schema.integer(1, 1000, default: 30), "Scans per page."),
                        .query("offset", Schema.integer(0, 10_000_000), "Scans to skip."),
                        .query("page", Schema.integer(1, 1_000_000), "1-based page (instead of offset)."),
                    ],
                    success: (
                        200, .json(Schema.object(["status": Schema.string, "data": Schema.array(Schema.ref("Scan"))]))
                    )),
                handler: { request, _ in try await list(request) }),
            Endpoint(
                .get, "/api/v1/scans/{id}", .role(.viewer),
                OperationDoc(
                    "getScan", "One scan.", tag: "Scans", parameters: [id], success: (200, .json(Schema.ref("Scan"))),
                    errors: [404]),
                handler: { _, context in try await get(context) }),
            Endpoint(
                .get, "/api/v1/scans/{id}/events", .role(.viewer),
                OperationDoc(
                    "followScan",
                    "Follow a scan live (SSE). Event ids are SCAN_ID:N (0 started, n after n outlets; without a "
                        + "second pass total+1 complete; with one, total+1 retrying, total+1+k after its k-th outlet, "
                        + "total+2+retried complete); reconnecting with Last-Event-ID resumes after that event. A finished scan "
                        + "answers with its `complete` event only, and with 204 once that was delivered.",
                    tag: "Scans",
                    parameters: [
                        id,
                        .header(
                            "Last-Event-ID", ["type": "string", "pattern": "^([0-9a-f-]{36}:)?[0-9]+$"],
                            "An event id as this server sent it (SCAN_ID:N): resumes that scan, never starts one."),
                    ],
                    success: (200, .eventStream), errors: [204, 404]),
                handler: { request, context in try await follow(request, context) }),
        ]
    }

    struct ScanPayload: Encodable {
        var id: String
        var mode: String
        var scanDate: String
        var kind: String
        var triggeredBy: String
        var state: String
        var total: Int
        var succeeded: Int
        var failed: Int
        var advanced: Int
        var startedAt: String
        var finishedAt: String?

        init(_ run: ScanRun, timeZone: TimeZone) {
            id = run.id
            mode = run.mode.rawValue
            scanDate = run.day.description
            kind = run.kind.rawValue
            triggeredBy = run.triggeredBy
            state = run.state.rawValue
            total = run.total
            succeeded = run.succeeded
            failed = run.failed
            advanced = run.advanced
            startedAt = ISO8601Text.format(run.startedAt, timeZone: timeZone)
            finishedAt = run.finishedAt.map { ISO8601Text.format($0, timeZone: timeZone) }
        }

        init(_ started: ScanStarted, timeZone: TimeZone) {
            id = started.scanID
            mode = started.mode.rawValue
            scanDate = started.day.description
            kind = started.kind.rawValue
            triggeredBy = started.triggeredBy
            state = ScanRun.State.running.rawValue
            total = started.total
            succeeded = 0
            failed = 0
            advanced = 0
            startedAt = ISO8601Text.format(started.startedAt, timeZone: timeZone)
            finishedAt = nil
        }
    }

    struct StartBody: Decodable {
        var mode: ScanMode
        var date: String?
        var outlets: [String]?
    }

    private struct Started: Encodable {
        var status = "success"
        var scan: ScanPayload
        var joined: Bool
        var events: String
    }

    private func start(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(StartBody.self, request, context)
        let scans = dependencies.scanRequests
        let day = try scans.day(text: body.date, field: "date")
        let codes = try body.outlets.map { try scans.outletCodes($0) }
        let subscription = try await scans.start(
            mode: body.mode, day: day, outletCodes: codes, triggeredBy: context.scanTrigger)
        // The caller follows the scan through its events URL; this subscription is not needed.
        let started = await firstStarted(subscription.events)
        guard let started else { throw APIError(.conflict, "the scan ended before it started") }
        return JSONResponse.make(
            Started(
                scan: ScanPayload(started, timeZone: dependencies.configuration.timeZone), joined: subscription.joined,
                events: "/api/v1/scans/\(started.scanID)/events"),
            status: .accepted)
    }

    /// The `started` event (always the first one, replayed on join); dropping the stream afterwards
    /// unsubscribes.
    private func firstStarted(_ events: AsyncStream<ScanEvent>) async -> ScanStarted? {
        for await event in events {
            if case .started(let started) = event { return started }
            return nil
        }
        return nil
    }

    private struct ScanList: Encodable {
        var status = "success"
        var data: [ScanPayload]
        var count: Int
        var limit: Int
        var offset: Int
    }

    private func list(_ request: Request) async throws -> Response {
        let query = QueryReader(request)
        let mode = try query.choice("mode", as: ScanMode.self)
        let (limit, offset) = try query.paging()
        let runs = try await dependencies.scans.page(mode: mode, limit: limit, offset: offset)
        let timeZone = dependencies.configuration.timeZone
        return JSONResponse.make(
            ScanList(
                data: runs.map { ScanPayload($0, timeZone: timeZone) }, count: runs.count, limit: limit, offset: offset)
        )
    }

    private func get(_ context: MonitorRequestContext) async throws -> Response {
        let id = try PathReader.uuid("id", context)
        guard let run = try await dependencies.scans.scan(id: id) else { throw APIError.notFound("no scan \(id)") }
        return JSONResponse.make(ScanPayload(run, timeZone: dependencies.configuration.timeZone))
    }

    private func follow(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        let id = try PathReader.uuid("id", context)
        var lastEventID = try ServerSentEventStream.EventID.lastEventID(request)
        // The path names the scan; an older client's bare number is a place in it.
        if let last = lastEventID, last.scanID == nil { lastEventID?.scanID = id }
        if let lastEventID, lastEventID.scanID != id {
            throw APIError.badRequest(
                "Last-Event-ID names scan \(lastEventID.scanID ?? "?"), not \(id)", parameter: "Last-Event-ID")
        }
        return try await ScanStreamResumption(dependencies: dependencies).follow(scanID: id, after: lastEventID)
    }
}
