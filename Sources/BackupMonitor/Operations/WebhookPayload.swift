import Foundation

/// The JSON bodies of the three webhook formats (SPEC §12), encoded with sorted keys so a
/// payload is byte-for-byte predictable.
public enum WebhookPayload {
    /// Chat messages list at most this many outlets per section; the generic JSON lists all.
    static let chatListLimit = 25

    public static func body(_ notification: ScanNotification, format: WebhookTarget.Format, timeZone: TimeZone)
        -> Data
    {
        let object: [String: Any] =
            switch format {
            case .generic: generic(notification, timeZone: timeZone)
            case .slack: slack(notification)
            case .teams: teams(notification)
            }
        // Only strings, numbers, arrays and dictionaries go in: serialisation cannot fail.
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
    }

    // MARK: generic

    static func generic(_ n: ScanNotification, timeZone: TimeZone) -> [String: Any] {
        func failure(_ f: ScanNotification.Failure) -> [String: Any] {
            var object: [String: Any] = ["outlet": f.outlet, "reason": f.reason?.rawValue ?? "unknown"]
            if let details = f.details { object["details"] = details }
            return object
        }
        return [
            "event": n.trigger == "test" ? "test" : "scan_finished",
            "mode": n.mode.rawValue,
            "modeName": n.mode.displayName,
            "scanDate": n.day.description,
            "scanId": n.scanID,
            "trigger": n.trigger,
            "retry": n.isRetry,
            "total": n.total,
            "successful": n.succeeded,
            "failed": n.failed,
            "newlyFailing": n.newlyFailing.map { group in
                [
                    "reason": group.reason?.rawValue ?? "unknown", "label": label(group.reason),
                    "count": group.outlets.count, "outlets": group.outlets.map(failure),
                ] as [String: Any]
            },
            "stillFailing": n.stillFailing.map(failure),
            "recovered": n.recovered,
            "degraded": n.degraded ?? NSNull(),
            "unconfirmed": n.unconfirmed.map(failure),
            "text": n.headline,
            "finishedAt": ISO8601Text.format(n.finishedAt, timeZone: timeZone),
        ]
    }

    // MARK: Slack

    /// Slack incoming webhook: `text` is the notification fallback, `blocks` the layout
    /// (a header, a context line, one section per group; mrkdwn, each under Slack's 3000 characters).
    static func slack(_ n: ScanNotification) -> [String: Any] {
        var blocks: [[String: Any]] = [
            ["type": "header", "text": ["type": "plain_text", "text": title(n)]],
            ["type": "section", "text": ["type": "mrkdwn", "text": n.headline]],
        ]
        func section(_ text: String) {
            blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": String(text.prefix(2900))]])
        }
        for group in n.newlyFailing {
            section("*Newly failing: \(label(group.reason)) (\(group.outlets.count))*\n" + lines(group.outlets))
        }
        if !n.stillFailing.isEmpty {
            section("*Still failing (\(n.stillFailing.count))*\n" + lines(n.stillFailing, withReason: true))
        }
        if !n.recovered.isEmpty {
            section("*Recovered (\(n.recovered.count))*\n" + list(n.recovered.map { "`\($0)`" }))
        }
        if !n.unconfirmed.isEmpty {
            section("*Timed out during the overload, not confirmed (\(n.unconfirmed.count))*\n" + lines(n.unconfirmed))
        }
        return ["text": n.headline, "blocks": blocks]
    }

    // MARK: Teams

    /// Microsoft Teams incoming webhook: a MessageCard (red when anything is newly failing,
    /// amber when only still failing, green otherwise) with facts and one section per group.
    static func teams(_ n: ScanNotification) -> [String: Any] {
        var sections: [[String: Any]] = [
            [
                "activityTitle": title(n),
                "activitySubtitle": n.headline,
                "facts": [
                    ["name": "Scan date", "value": n.day.description],
                    ["name": "Successful", "value": "\(n.succeeded) of \(n.total)"],
                    ["name": "Failed", "value": "\(n.failed)"],
                    ["name": "Recovered", "value": "\(n.recovered.count)"],
                ],
            ]
        ]
        for group in n.newlyFailing {
            sections.append([
                "title": "Newly failing: \(label(group.reason)) (\(group.outlets.count))",
                "text": teamsLines(group.outlets.map { $0.outlet + detailSuffix($0) }),
            ])
        }
        if !n.stillFailing.isEmpty {
            sections.append([
                "title": "Still failing (\(n.stillFailing.count))",
                "text": teamsLines(n.stillFailing.map { "\($0.outlet): \(label($0.reason))" }),
            ])
        }
        if !n.recovered.isEmpty {
            sections.append(["title": "Recovered (\(n.recovered.count))", "text": teamsLines(n.recovered)])
        }
        if !n.unconfirmed.isEmpty {
            sections.append([
                "title": "Timed out during the overload, not confirmed (\(n.unconfirmed.count))",
                "text": teamsLines(n.unconfirmed.map(\.outlet)),
            ])
        }
        let color = n.newlyFailingCount > 0 ? "D70000" : (n.failed > 0 ? "FFA500" : "2EB886")
        return [
            "@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": n.headline,
            "title": title(n), "themeColor": color, "sections": sections,
        ]
    }

    // MARK: text helpers

    static func title(_ n: ScanNotification) -> String {
        n.trigger == "test"
            ? "Outlet Backup Monitor: test message"
            : "\(n.mode.displayName) backups \(n.day): \(n.failed) failed"
    }

    static func label(_ reason: FailureKind?) -> String { reason?.label ?? "Unknown" }

    private static func detailSuffix(_ failure: ScanNotification.Failure) -> String {
        guard let details = failure.details, !details.isEmpty else { return "" }
        return " — " + String(details.prefix(160))
    }

    private static func lines(_ failures: [ScanNotification.Failure], withReason: Bool = false) -> String {
        list(
            failures.map { failure in
                "`\(failure.outlet)`" + (withReason ? " \(label(failure.reason))" : detailSuffix(failure))
            })
    }

    private static func list(_ items: [String]) -> String {
        var shown = items.prefix(chatListLimit).map { "• " + $0 }
        if items.count > chatListLimit { shown.append("… and \(items.count - chatListLimit) more") }
        return shown.joined(separator: "\n")
    }

    private static func teamsLines(_ items: [String]) -> String {
        var shown = Array(items.prefix(chatListLimit))
        if items.count > chatListLimit { shown.append("… and \(items.count - chatListLimit) more") }
        // MessageCard text is Markdown: a blank-line-free list needs explicit line breaks.
        return shown.joined(separator: "<br>")
    }
}
