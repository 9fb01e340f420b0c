import Foundation
import Testing

@testable import BackupMonitor

@Suite("Local times and schedule variables")
struct LocalTimeTests {
    @Test func parsesTimesAndLists() {
        #expect(LocalTime("7:30")?.description == "07:30")
        #expect(LocalTime("23:59") != nil)
        for bad in ["24:00", "7:5", "07:60", "0730", "", "ab:cd", "07:30:00", "-1:30", "٠٧:٣٠"] {
            #expect(LocalTime(bad) == nil, "\(bad)")
        }
        #expect(LocalTime.list("13:00, 07:30,07:30")?.map(\.description) == ["07:30", "13:00"])
        #expect(LocalTime.list("") == [])
        #expect(LocalTime.list("07:30,noon") == nil)
    }

    @Test func instantsAcrossDaylightSaving() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let spring = CalendarDay("2026-03-29")!
        // 02:30 does not exist: the clocks jump at 01:00 UTC.
        #expect(spring.instant(of: LocalTime("02:30")!, in: berlin) == instant("2026-03-29T01:00:00Z"))
        #expect(spring.instant(of: LocalTime("03:30")!, in: berlin) == instant("2026-03-29T01:30:00Z"))
        let autumn = CalendarDay("2026-10-25")!
        // 02:30 happens twice: the first (CEST) is taken.
        #expect(autumn.instant(of: LocalTime("02:30")!, in: berlin) == instant("2026-10-25T00:30:00Z"))
        #expect(autumn.instant(of: LocalTime("07:30")!, in: berlin) == instant("2026-10-25T06:30:00Z"))
    }

    @Test func configurationReadsTheScheduleAndNamesBadVariables() throws {
        let configuration = try MonitorConfiguration(values: [
            "SCHEDULE_DDRIVE": "07:30", "SCHEDULE_IBSTORAGE": "08:00,13:00", "RETRY_INTERVAL_MINUTES": "15",
            "NOTIFY_WEBHOOKS": "slack:https://hooks.slack.com/services/T1/B2/XYZ, https://example.test/hook?token=s3",
        ])
        #expect(configuration.scheduleTimes[.ddrive]?.map(\.description) == ["07:30"])
        #expect(configuration.scheduleTimes[.ibstorage]?.count == 2)
        #expect(configuration.retryInterval == .seconds(900))
        #expect(configuration.retryUntil?.description == "12:00")
        #expect(configuration.webhooks.map(\.format) == [.slack, .generic])
        #expect(configuration.notifyAttempts == 4)
        let defaults = try MonitorConfiguration(values: ["RETRY_UNTIL": ""])
        #expect(defaults.scheduleTimes.values.allSatisfy { $0.isEmpty })
        #expect(defaults.retryUntil == nil)
        #expect(defaults.webhooks.isEmpty)
        // The webhook list is a secret: `config` and Settings show it masked.
        let shown = try MonitorConfiguration(values: ["NOTIFY_WEBHOOKS": "https://x.test/a/b"]).effectiveValues
        #expect(shown.first { $0.variable.name == "NOTIFY_WEBHOOKS" }?.value == "*****")
        for (name, value) in [
            ("SCHEDULE_DDRIVE", "7.30"), ("SCHEDULE_IBSTORAGE", "25:00"), ("RETRY_INTERVAL_MINUTES", "-5"),
            ("RETRY_UNTIL", "noon"), ("NOTIFY_WEBHOOKS", "ftp://x.test/hook"), ("NOTIFY_ATTEMPTS", "0"),
            ("NOTIFY_TIMEOUT", "0"),
        ] {
            #expect(throws: ConfigurationError.self) { try MonitorConfiguration(values: [name: value]) }
            do {
                _ = try MonitorConfiguration(values: [name: value])
            } catch let error as ConfigurationError {
                #expect(error.variable == name)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func webhookURLsAreMaskedBeyondTheFirstPathSegment() throws {
        let slack = try WebhookTarget.parse("slack:https://hooks.slack.com/services/T000/B000/SECRET").get()
        #expect(slack.maskedURL == "https://hooks.slack.com/services/*****")
        let teams = try WebhookTarget.parse("TEAMS:https://outlook.office.com/webhook/abc@def/IncomingWebhook/x/y")
            .get()
        #expect(teams.format == .teams)
        #expect(teams.maskedURL == "https://outlook.office.com/webhook/*****")
        let generic = try WebhookTarget.parse("https://user:pw@example.test:8443/hook?token=abc").get()
        #expect(generic.maskedURL == "https://*****@example.test:8443/hook?*****")
        #expect(!generic.maskedURL.contains("abc") && !generic.maskedURL.contains("pw"))
    }
}
