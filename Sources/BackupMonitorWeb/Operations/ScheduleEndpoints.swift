import BackupMonitor
import Foundation
import Hummingbird

/// The schedule and notifications for the Settings page (SPEC §8 Settings: notifications,
/// schedule), admin only: what runs when, today's attempts, the delivery log, and a test send.
struct ScheduleEndpoints {
    let dependencies: AppDependencies

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .get, "/api/v1/schedule", .role(.admin),
                OperationDoc(
                    "getSchedule",
                    "Scheduled scan times per mode, the next action, today's attempts, recent attempts, retry "
                        + "settings and the notification targets (URLs masked).",
                    tag: "Operations", success: (200, .json(Self.scheduleSchema))),
                handler: { _, _ in try await schedule() }),
            Endpoint(
                .get, "/api/v1/notifications/deliveries", .role(.admin),
                OperationDoc(
                    "listNotificationDeliveries", "The webhook delivery log, newest first.", tag: "Operations",
                    parameters: [
                        .query("limit", Schema.integer(1, 1000, default: 30), "Deliveries per page."),
                        .query("offset", Schema.integer(0, 10_000_000), "Deliveries to skip."),
                        .query("page", Schema.integer(1, 1_000_000), "1-based page (instead of offset)."),
                    ],
                    success: (200, .json(Self.deliveryListSchema))),
                handler: { request, _ in try await deliveries(request) }),
            Endpoint(
                .post, "/api/v1/notifications/test", .role(.admin),
                OperationDoc(
                    "testNotifications",
                    "Sends a test message to every webhook in NOTIFY_WEBHOOKS (with the usual retries) and returns "
                        + "the logged deliveries; 409 when none is configured.",
                    tag: "Operations", success: (200, .json(Self.deliveryListSchema)), errors: [409]),
                handler: { _, _ in try await test() }),
        ]
    }

    // Inline schemas (no components entry): the Settings API documents itself in one place.
    static let runSchema = Schema.object([
        "mode": Schema.string, "scanDate": Schema.date, "slot": Schema.string,
        "state": Schema.enumeration(["running", "finished", "skipped", "missed", "failed"]),
        "scanId": Schema.nullable(Schema.string), "detail": Schema.nullable(Schema.string),
        "targets": Schema.nullable(["type": "integer"]), "succeeded": Schema.nullable(["type": "integer"]),
        "failed": Schema.nullable(["type": "integer"]), "startedAt": Schema.dateTime,
        "finishedAt": Schema.nullable(Schema.dateTime),
    ])
    static let scheduleSchema = Schema.object([
        "status": Schema.string, "timeZone": Schema.string,
        "retryIntervalMinutes": Schema.nullable(["type": "integer"]),
        "retryUntil": Schema.nullable(Schema.string),
        "webhooks": Schema.array(Schema.object(["target": Schema.string, "format": Schema.string])),
        "data": Schema.array(
            Schema.object([
                "mode": Schema.string, "times": Schema.array(Schema.string),
                "next": Schema.nullable(
                    Schema.object([
                        "kind": Schema.enumeration(["slot", "retry", "missed"]), "slot": Schema.string,
                        "scanDate": Schema.date, "due": Schema.dateTime,
                    ])),
                "failingToday": ["type": "integer"],
                "today": Schema.array(runSchema),
            ])),
        "recent": Schema.array(runSchema), "timestamp": Schema.dateTime,
    ])
    static let deliverySchema = Schema.object([
        "id": Schema.uuid, "createdAt": Schema.dateTime, "target": Schema.string,
        "format": Schema.enumeration(WebhookTarget.Format.allCases.map(\.rawValue)), "event": Schema.string,
        "scanId": Schema.nullable(Schema.string), "status": Schema.enumeration(["delivered", "failed"]),
        "httpStatus": Schema.nullable(["type": "integer"]), "attempts": ["type": "integer"],
        "error": Schema.nullable(Schema.string),
    ])
    static let deliveryListSchema = Schema.object([
        "status": Schema.string, "data": Schema.array(deliverySchema),
        "count": ["type": "integer"], "total": ["type": "integer"], "limit": ["type": "integer"],
        "offset": ["type": "integer"], "timestamp": Schema.dateTime,
    ])

    struct RunPayload: Encodable {
        var mode: String
        var scanDate: String
        var slot: String
        var state: String
        var scanId: String?
        var detail: String?
        var targets: Int?
        var succeeded: Int?
        var failed: Int?
        var startedAt: String
        var finishedAt: String?

        init(_ run: ScheduledRun, timeZone: TimeZone) {
            mode = run.mode.rawValue
            scanDate = run.day.description
            slot = run.slot
            state = run.state.rawValue
            scanId = run.scanID
            detail = run.detail
            targets = run.targets
            succeeded = run.succeeded
            failed = run.failed
            startedAt = ISO8601Text.format(run.startedAt, timeZone: timeZone)
            finishedAt = run.finishedAt.map { ISO8601Text.format($0, timeZone: timeZone) }
        }
    }

    private struct NextPayload: Encodable {
        var kind: String
        var slot: String
        var scanDate: String
        var due: String
    }

    private struct ModePayload: Encodable {
        var mode: String
        var times: [String]
        var next: NextPayload?
        var failingToday: Int
        var today: [RunPayload]
    }

    private struct WebhookPayloadInfo: Encodable {
        var target: String
        var format: String
    }

    private struct SchedulePayload: Encodable {
        var status = "success"
        var timeZone: String
        var retryIntervalMinutes: Int?
        var retryUntil: String?
        var webhooks: [WebhookPayloadInfo]
        var data: [ModePayload]
        var recent: [RunPayload]
        var timestamp: String
    }

    private func schedule() async throws -> Response {
        let configuration = dependencies.configuration
        let timeZone = configuration.timeZone
        let now = Date()
        let overview = try await dependencies.scheduler.overview(now: now)
        let data = overview.map { mode in
            ModePayload(
                mode: mode.mode.rawValue, times: mode.times.map(\.description),
                next: mode.next.map { action in
                    let kind =
                        switch action.kind {
                        case .slot: "slot"
                        case .retry: "retry"
                        case .missed: "missed"
                        }
                    return NextPayload(
                        kind: kind, slot: action.slotName, scanDate: action.day.description,
                        due: ISO8601Text.format(action.due, timeZone: timeZone))
                }, failingToday: mode.failingToday,
                today: mode.today.map { RunPayload($0, timeZone: timeZone) })
        }
        let recent = try await ScheduledRunRepository(database: dependencies.database).recent(limit: 20)
        return JSONResponse.make(
            SchedulePayload(
                timeZone: timeZone.identifier,
                retryIntervalMinutes: configuration.retryInterval.map { Int($0.components.seconds / 60) },
                retryUntil: configuration.retryUntil?.description,
                webhooks: configuration.webhooks.map {
                    WebhookPayloadInfo(target: $0.maskedURL, format: $0.format.rawValue)
                }, data: data, recent: recent.map { RunPayload($0, timeZone: timeZone) },
                timestamp: JSONResponse.timestamp(now, timeZone)))
    }

    struct DeliveryPayload: Encodable {
        var id: String
        var createdAt: String
        var target: String
        var format: String
        var event: String
        var scanId: String?
        var status: String
        var httpStatus: Int?
        var attempts: Int
        var error: String?

        init(_ delivery: NotificationDelivery, timeZone: TimeZone) {
            id = delivery.id
            createdAt = ISO8601Text.format(delivery.createdAt, timeZone: timeZone)
            target = delivery.target
            format = delivery.format.rawValue
            event = delivery.event
            scanId = delivery.scanID
            status = delivery.status.rawValue
            httpStatus = delivery.httpStatus
            attempts = delivery.attempts
            error = delivery.error
        }
    }

    private struct DeliveryList: Encodable {
        var status = "success"
        var data: [DeliveryPayload]
        var count: Int
        var total: Int
        var limit: Int
        var offset: Int
        var timestamp: String
    }

    private func deliveries(_ request: Request) async throws -> Response {
        let (limit, offset) = try QueryReader(request).paging()
        let repository = NotificationDeliveryRepository(database: dependencies.database)
        let rows = try await repository.recent(limit: limit, offset: offset)
        let timeZone = dependencies.configuration.timeZone
        return JSONResponse.make(
            DeliveryList(
                data: rows.map { DeliveryPayload($0, timeZone: timeZone) }, count: rows.count,
                total: try await repository.count(), limit: limit, offset: offset,
                timestamp: JSONResponse.timestamp(Date(), timeZone)))
    }

    private func test() async throws -> Response {
        let notifier = dependencies.notifier
        guard !notifier.targets.isEmpty else {
            throw APIError(
                .conflict, "no webhook is configured (NOTIFY_WEBHOOKS is empty)", parameter: "NOTIFY_WEBHOOKS")
        }
        let now = Date()
        let timeZone = dependencies.configuration.timeZone
        let results = await notifier.deliver(
            ScanNotification.test(day: CalendarDay(containing: now, in: timeZone), at: now), event: "test")
        return JSONResponse.make(
            DeliveryList(
                data: results.map { DeliveryPayload($0, timeZone: timeZone) }, count: results.count,
                total: results.count, limit: results.count, offset: 0, timestamp: JSONResponse.timestamp(now, timeZone))
        )
    }
}
