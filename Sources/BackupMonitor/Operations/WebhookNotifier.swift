import Foundation
import Logging

/// Sends a scan's one message to every configured webhook (SPEC §12), retrying with
/// exponential backoff on 5xx, 429 and transport failures, and logs each delivery.
public struct WebhookNotifier: Sendable {
    public var targets: [WebhookTarget]
    public var attempts: Int
    public var timeout: Duration
    /// Wait before the second attempt; doubles each time (1 s, 2 s, 4 s … by default).
    public var backoff: Duration
    public var timeZone: TimeZone
    let transport: any WebhookTransport
    let deliveries: NotificationDeliveryRepository
    let logger: Logger

    public init(
        configuration: MonitorConfiguration, database: MonitorDatabase,
        transport: any WebhookTransport = HTTPClientWebhookTransport(), backoff: Duration = .seconds(1), logger: Logger
    ) {
        self.targets = configuration.webhooks
        self.attempts = configuration.notifyAttempts
        self.timeout = configuration.notifyTimeout
        self.timeZone = configuration.timeZone
        self.backoff = backoff
        self.transport = transport
        self.deliveries = NotificationDeliveryRepository(database: database)
        self.logger = logger
    }

    /// Delivers `notification` to every target, concurrently; returns the logged deliveries.
    @discardableResult
    public func deliver(_ notification: ScanNotification, event: String = "scan_finished") async
        -> [NotificationDelivery]
    {
        await withTaskGroup(of: NotificationDelivery.self) { group in
            for target in targets {
                group.addTask { await deliver(notification, to: target, event: event) }
            }
            var results: [NotificationDelivery] = []
            for await delivery in group { results.append(delivery) }
            return results.sorted { $0.target < $1.target }
        }
    }

    func deliver(_ notification: ScanNotification, to target: WebhookTarget, event: String) async
        -> NotificationDelivery
    {
        let body = WebhookPayload.body(notification, format: target.format, timeZone: timeZone)
        var attempt = 0
        var lastStatus: Int?
        var lastError: String?
        var delivered = false
        while attempt < attempts {
            attempt += 1
            do {
                let status = try await transport.post(body, to: target.url, timeout: timeout)
                lastStatus = status
                if (200..<300).contains(status) {
                    delivered = true
                    lastError = nil
                    break
                }
                lastError = "HTTP \(status)"
                // Other 4xx mean the request itself is wrong (bad URL, revoked hook): retrying cannot help.
                guard status >= 500 || status == 429 || status == 408 else { break }
            } catch is CancellationError {
                lastError = "cancelled"
                break
            } catch {
                lastStatus = nil
                lastError = Self.describe(error, url: target.url)
            }
            guard attempt < attempts else { break }
            let wait = backoff * (1 << min(attempt - 1, 10))
            do { try await Task.sleep(for: wait) } catch { break }
        }
        let delivery = NotificationDelivery(
            id: UUID().uuidString.lowercased(), createdAt: Date(), target: target.maskedURL, format: target.format,
            event: event, scanID: notification.trigger == "test" ? nil : notification.scanID,
            status: delivered ? .delivered : .failed, httpStatus: lastStatus, attempts: attempt, error: lastError)
        var metadata: Logger.Metadata = [
            "target": "\(delivery.target)", "format": "\(target.format.rawValue)", "attempts": "\(attempt)",
            "mode": "\(notification.mode.rawValue)", "scan_id": "\(notification.scanID)",
        ]
        if let lastError { metadata["error"] = "\(lastError)" }
        if delivered {
            logger.info("webhook delivered", metadata: metadata)
        } else {
            logger.warning("webhook delivery failed", metadata: metadata)
        }
        do {
            try await deliveries.insert(delivery)
        } catch {
            logger.error("could not log a webhook delivery", metadata: ["error": "\(error)"])
        }
        return delivery
    }

    /// Error text with the URL's secret parts masked: transport errors may quote the URL.
    static func describe(_ error: any Error, url: URL) -> String {
        var text = String(describing: error)
        let masked = WebhookTarget.mask(url)
        text = text.replacingOccurrences(of: url.absoluteString, with: masked)
        if let query = url.query, !query.isEmpty { text = text.replacingOccurrences(of: query, with: "*****") }
        let path = url.path
        if path.count > 1 { text = text.replacingOccurrences(of: path, with: "/*****") }
        return String(text.prefix(500))
    }
}
