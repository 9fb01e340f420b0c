import BackupMonitor
import BackupMonitorTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import BackupMonitorWeb

/// SPEC §12 notifications over real HTTP to a receiver on 127.0.0.1: retries with backoff on
/// 5xx and timeouts, none on other 4xx, a delivery log without secrets, and the Settings API.
@Suite("Webhook delivery")
struct WebhookDeliveryTests {
    static let logger = Logger(label: "test.webhooks")
    static let secret = "T0KEN-s3cret"

    static func notifier(
        _ database: MonitorDatabase, webhooks: String, attempts: Int = 4, timeout: String = "5"
    ) throws -> WebhookNotifier {
        let configuration = try MonitorConfiguration(values: [
            "TZ": "UTC", "NOTIFY_WEBHOOKS": webhooks, "NOTIFY_ATTEMPTS": String(attempts), "NOTIFY_TIMEOUT": timeout,
        ])
        return WebhookNotifier(
            configuration: configuration, database: database, backoff: .milliseconds(20), logger: logger)
    }

    static var notification: ScanNotification {
        ScanNotification.test(day: CalendarDay("2026-11-27")!, at: Date(timeIntervalSince1970: 1_795_766_400))
    }

    @Test func retriesServerErrorsWithBackoffThenDelivers() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let receiver = WebhookReceiver(statuses: [503, 500])
            let deliveries = try await receiver.serve { base in
                let notifier = try Self.notifier(database, webhooks: "\(base)/hooks/\(Self.secret)?key=\(Self.secret)")
                return await notifier.deliver(Self.notification)
            }
            let delivery = try #require(deliveries.first)
            #expect(delivery.status == .delivered)
            #expect(delivery.attempts == 3)
            #expect(delivery.httpStatus == 200)
            #expect(delivery.error == nil)
            let received = await receiver.received
            #expect(received.count == 3)
            #expect(Set(received.map(\.body)).count == 1, "every attempt sends the same body")
            #expect(received.first?.contentType == "application/json")
            #expect(received.first?.path == "/hooks/\(Self.secret)")
            let logged = try await NotificationDeliveryRepository(database: database).recent(limit: 10)
            #expect(logged.count == 1)
            #expect(logged.first?.target.hasSuffix("/hooks/*****?*****") == true)
            #expect(logged.first?.target.contains(Self.secret) == false)
        }
    }

    @Test func aClientErrorIsNotRetriedAndGivingUpIsLogged() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let receiver = WebhookReceiver(byPath: ["/gone/": 404, "/busy/": 503])
            let results = try await receiver.serve { base in
                let notifier = try Self.notifier(
                    database, webhooks: "\(base)/gone/\(Self.secret),teams:\(base)/busy/\(Self.secret)", attempts: 3)
                return await notifier.deliver(Self.notification)
            }
            #expect(results.count == 2)
            let byPath = Dictionary(uniqueKeysWithValues: results.map { ($0.target, $0) })
            let gone = try #require(results.first { $0.format == .generic })
            #expect(gone.status == .failed)
            #expect(gone.httpStatus == 404)
            let busy = try #require(results.first { $0.format == .teams })
            #expect(busy.status == .failed)
            #expect(busy.error == "HTTP 503")
            #expect(byPath.count == 2)
            // 404 once; 503 three times (the configured attempts), each with the Teams card.
            let received = await receiver.received
            #expect(received.count == 4)
            #expect(received.filter { $0.path.hasPrefix("/busy/") }.count == 3)
            let cards = await receiver.received.json.filter { $0["@type"] as? String == "MessageCard" }
            #expect(cards.count == 3)
            let logged = try await NotificationDeliveryRepository(database: database).recent(limit: 10)
            #expect(logged.map(\.status) == [.failed, .failed])
        }
    }

    @Test func timeoutsAndRefusedConnectionsAreRetriedAndMasked() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let slow = WebhookReceiver(delay: .seconds(1))
            let timedOut = try await slow.serve { base in
                let notifier = try Self.notifier(
                    database, webhooks: "\(base)/slow/\(Self.secret)", attempts: 2, timeout: "0.3")
                return await notifier.deliver(Self.notification)
            }
            #expect(timedOut.first?.status == .failed)
            #expect(timedOut.first?.attempts == 2)
            #expect(timedOut.first?.httpStatus == nil)
            #expect(timedOut.first?.error?.contains(Self.secret) == false)
            #expect(await slow.received.count == 2)

            // Port 9 (discard) on loopback: nothing listens, the connection is refused.
            // AsyncHTTPClient keeps retrying a refused connect until the attempt's deadline: keep it short.
            let notifier = try Self.notifier(
                database, webhooks: "http://127.0.0.1:9/x/\(Self.secret)", attempts: 2, timeout: "1")
            let refused = try #require(await notifier.deliver(Self.notification).first)
            #expect(refused.status == .failed)
            #expect(refused.attempts == 2)
            let error = try #require(refused.error)
            #expect(!error.isEmpty)
            #expect(!error.contains(Self.secret))
        }
    }

    @Test func settingsAPITestsTheWebhooksAndListsTheLog() async throws {
        let receiver = WebhookReceiver()
        try await receiver.serve { base in
            let hooks = "slack:\(base)/services/T1/\(Self.secret)"
            try await TestApp.with(
                configuration: ["NOTIFY_WEBHOOKS": hooks, "SCHEDULE_DDRIVE": "07:30", "RETRY_UNTIL": "11:00"]
            ) { app in
                try await app.test { client in
                    let sent = try await client.execute(
                        uri: "/api/v1/notifications/test", method: .post, headers: app.headers(.admin, json: true))
                    #expect(sent.status == .ok)
                    let data = try #require(sent.json["data"] as? [[String: Any]])
                    #expect(data.first?["status"] as? String == "delivered")
                    #expect(data.first?["event"] as? String == "test")
                    #expect(data.first?["format"] as? String == "slack")
                    #expect(!sent.text.contains(Self.secret))

                    let log = try await client.execute(
                        uri: "/api/v1/notifications/deliveries?limit=5", method: .get, headers: app.headers(.admin))
                    #expect(log.status == .ok)
                    #expect(log.json["total"] as? Int == 1)
                    let entry = try #require((log.json["data"] as? [[String: Any]])?.first)
                    #expect(entry["target"] as? String == "\(base)/services/*****")
                    #expect(entry["attempts"] as? Int == 1)

                    let schedule = try await client.execute(
                        uri: "/api/v1/schedule", method: .get, headers: app.headers(.admin))
                    #expect(schedule.status == .ok)
                    #expect(schedule.json["retryUntil"] as? String == "11:00")
                    #expect(schedule.json["retryIntervalMinutes"] as? Int == 30)
                    #expect(!schedule.text.contains(Self.secret))
                    let modes = try #require(schedule.json["data"] as? [[String: Any]])
                    let ddrive = try #require(modes.first { $0["mode"] as? String == "ddrive" })
                    #expect(ddrive["times"] as? [String] == ["07:30"])
                    let next = try #require(ddrive["next"] as? [String: Any])
                    #expect(next["slot"] as? String == "07:30")
                    let ibstorage = try #require(modes.first { $0["mode"] as? String == "ibstorage" })
                    #expect(ibstorage["times"] as? [String] == [])

                    let viewer = try await client.execute(
                        uri: "/api/v1/schedule", method: .get, headers: app.headers(.operator))
                    #expect(viewer.status == .forbidden)
                }
            }
            let slack = await receiver.received.json
            #expect(slack.count == 1)
            #expect((slack.first?["text"] as? String)?.isEmpty == false)
            #expect((slack.first?["blocks"] as? [Any])?.isEmpty == false)
        }
    }

    @Test func theTestButtonWithoutWebhooksIsAConflict() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                let response = try await client.execute(
                    uri: "/api/v1/notifications/test", method: .post, headers: app.headers(.admin, json: true))
                #expect(response.status == .conflict)
                #expect(response.json["parameter"] as? String == "NOTIFY_WEBHOOKS")
            }
        }
    }
}
