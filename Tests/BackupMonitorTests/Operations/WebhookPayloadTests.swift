import Foundation
import Testing

@testable import BackupMonitor

/// SPEC §12: one message per scan, in the three shapes, byte for byte.
@Suite("Webhook payloads")
struct WebhookPayloadTests {
    static let day = CalendarDay("2026-11-27")!
    static let finished = Date(timeIntervalSince1970: 1_795_766_400)  // 2026-11-27T08:00:00Z

    static func record(_ code: String, _ kind: FailureKind?, _ details: String? = nil) -> BackupRecord {
        BackupRecord(
            mode: .ddrive, outletCode: code, scanDate: day, status: kind == nil ? .success : .failed,
            duration: .milliseconds(20), failureKind: kind, errorDetails: details, scannedAt: finished)
    }

    /// OUTLET001 and OUTLET004 newly unreachable, OUTLET005 newly stale, OUTLET002 still failing,
    /// OUTLET003 recovered, OUTLET006 good both days.
    static var notification: ScanNotification {
        let records = [
            record("OUTLET001", .unreachable, "connection refused"), record("OUTLET002", .auth, "logon failure"),
            record("OUTLET003", nil), record("OUTLET004", .unreachable, "timed out"),
            record("OUTLET005", .stale, "newest backup is 3 days old"), record("OUTLET006", nil),
        ]
        var previous: [String: BackupRecord] = [:]
        for (code, kind) in [
            ("OUTLET002", FailureKind.auth), ("OUTLET003", .noBackup), ("OUTLET005", nil), ("OUTLET006", nil),
        ] {
            var old = record(code, kind)
            old.scanDate = day.adding(days: -1)
            previous[code] = old
        }
        let summary = ScanSummary(
            scanID: "0b9c2f5e-0000-4000-8000-000000000001", mode: .ddrive, day: day, records: records, succeeded: 2,
            failed: 4, processingTime: .seconds(3), finishedAt: finished)
        return ScanNotification(summary: summary, trigger: "07:30", isRetry: false, previous: previous)
    }

    static func text(_ format: WebhookTarget.Format) -> String {
        String(
            decoding: WebhookPayload.body(notification, format: format, timeZone: TimeZone(identifier: "UTC")!),
            as: UTF8.self)
    }

    @Test func comparisonWithThePreviousRecords() {
        let n = Self.notification
        #expect(n.newlyFailing.map { $0.reason } == [.unreachable, .stale])
        #expect(n.newlyFailing.first?.outlets.map(\.outlet) == ["OUTLET001", "OUTLET004"])
        #expect(n.stillFailing.map(\.outlet) == ["OUTLET002"])
        #expect(n.recovered == ["OUTLET003"])
        #expect(n.isWorthSending)
        #expect(
            n.headline
                == "D-Drive scheduled scan (07:30) for 2026-11-27: 2/6 successful, 4 failed, 3 newly failing, "
                + "1 still failing, 1 recovered")
    }

    @Test func genericJSON() {
        #expect(
            Self.text(.generic)
                == #"{"degraded":null,"event":"scan_finished","failed":4,"finishedAt":"2026-11-27T08:00:00+00:00","mode":"ddrive","modeName":"D-Drive","newlyFailing":[{"count":2,"label":"Unreachable","outlets":[{"details":"connection refused","outlet":"OUTLET001","reason":"unreachable"},{"details":"timed out","outlet":"OUTLET004","reason":"unreachable"}],"reason":"unreachable"},{"count":1,"label":"Stale backup","outlets":[{"details":"newest backup is 3 days old","outlet":"OUTLET005","reason":"stale"}],"reason":"stale"}],"recovered":["OUTLET003"],"retry":false,"scanDate":"2026-11-27","scanId":"0b9c2f5e-0000-4000-8000-000000000001","stillFailing":[{"details":"logon failure","outlet":"OUTLET002","reason":"auth"}],"successful":2,"text":"D-Drive scheduled scan (07:30) for 2026-11-27: 2/6 successful, 4 failed, 3 newly failing, 1 still failing, 1 recovered","total":6,"trigger":"07:30","unconfirmed":[]}"#
        )
    }

    @Test func slackBlocks() {
        #expect(
            Self.text(.slack)
                == #"{"blocks":[{"text":{"text":"D-Drive backups 2026-11-27: 4 failed","type":"plain_text"},"type":"header"},{"text":{"text":"D-Drive scheduled scan (07:30) for 2026-11-27: 2/6 successful, 4 failed, 3 newly failing, 1 still failing, 1 recovered","type":"mrkdwn"},"type":"section"},{"text":{"text":"*Newly failing: Unreachable (2)*\n• `OUTLET001` — connection refused\n• `OUTLET004` — timed out","type":"mrkdwn"},"type":"section"},{"text":{"text":"*Newly failing: Stale backup (1)*\n• `OUTLET005` — newest backup is 3 days old","type":"mrkdwn"},"type":"section"},{"text":{"text":"*Still failing (1)*\n• `OUTLET002` Authentication failed","type":"mrkdwn"},"type":"section"},{"text":{"text":"*Recovered (1)*\n• `OUTLET003`","type":"mrkdwn"},"type":"section"}],"text":"D-Drive scheduled scan (07:30) for 2026-11-27: 2/6 successful, 4 failed, 3 newly failing, 1 still failing, 1 recovered"}"#
        )
    }

    @Test func teamsMessageCard() {
        #expect(
            Self.text(.teams)
                == #"{"@context":"https://schema.org/extensions","@type":"MessageCard","sections":[{"activitySubtitle":"D-Drive scheduled scan (07:30) for 2026-11-27: 2/6 successful, 4 failed, 3 newly failing, 1 still failing, 1 recovered","activityTitle":"D-Drive backups 2026-11-27: 4 failed","facts":[{"name":"Scan date","value":"2026-11-27"},{"name":"Successful","value":"2 of 6"},{"name":"Failed","value":"4"},{"name":"Recovered","value":"1"}]},{"text":"OUTLET001 — connection refused<br>OUTLET004 — timed out","title":"Newly failing: Unreachable (2)"},{"text":"OUTLET005 — newest backup is 3 days old","title":"Newly failing: Stale backup (1)"},{"text":"OUTLET002: Authentication failed","title":"Still failing (1)"},{"text":"OUTLET003","title":"Recovered (1)"}],"summary":"D-Drive scheduled scan (07:30) for 2026-11-27: 2/6 successful, 4 failed, 3 newly failing, 1 still failing, 1 recovered","themeColor":"D70000","title":"D-Drive backups 2026-11-27: 4 failed"}"#
        )
    }

    @Test func chatMessagesCapLongListsButGenericJSONKeepsEveryOutlet() throws {
        let records = (1...60).map { Self.record(String(format: "OUTLET%03d", $0), .unreachable, "refused") }
        let summary = ScanSummary(
            scanID: "x", mode: .ibstorage, day: Self.day, records: records, succeeded: 0, failed: 60,
            processingTime: .seconds(1), finishedAt: Self.finished)
        let n = ScanNotification(summary: summary, trigger: "08:00", isRetry: false, previous: [:])
        let utc = TimeZone(identifier: "UTC")!
        let slack = String(decoding: WebhookPayload.body(n, format: .slack, timeZone: utc), as: UTF8.self)
        #expect(slack.contains("… and 35 more"))
        #expect(!slack.contains("OUTLET026"))
        let generic = try #require(
            try JSONSerialization.jsonObject(with: WebhookPayload.body(n, format: .generic, timeZone: utc))
                as? [String: Any])
        let group = try #require((generic["newlyFailing"] as? [[String: Any]])?.first)
        #expect((group["outlets"] as? [Any])?.count == 60)
    }

    @Test func quietRescansAndAllGoodSlots() {
        let good = ScanSummary(
            scanID: "g", mode: .ddrive, day: Self.day, records: [Self.record("A", nil)], succeeded: 1, failed: 0,
            processingTime: .seconds(1), finishedAt: Self.finished)
        #expect(!ScanNotification(summary: good, trigger: "07:30", isRetry: false, previous: [:]).isWorthSending)
        let still = ScanSummary(
            scanID: "s", mode: .ddrive, day: Self.day, records: [Self.record("A", .auth)], succeeded: 0, failed: 1,
            processingTime: .seconds(1), finishedAt: Self.finished)
        let before = ["A": Self.record("A", .auth)]
        #expect(!ScanNotification(summary: still, trigger: "retry-1", isRetry: true, previous: before).isWorthSending)
        #expect(ScanNotification(summary: still, trigger: "07:30", isRetry: false, previous: before).isWorthSending)
    }
}
