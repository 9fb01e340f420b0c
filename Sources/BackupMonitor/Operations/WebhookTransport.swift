import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Posts one JSON body; returns the HTTP status. Throws for transport failures (refused,
/// timed out, TLS). The indirection lets tests count attempts without a network.
public protocol WebhookTransport: Sendable {
    func post(_ body: Data, to url: URL, timeout: Duration) async throws -> Int
}

/// The production transport: AsyncHTTPClient's shared client (HTTP/1.1 and HTTP/2, TLS for
/// the https webhooks of Slack and Teams).
public struct HTTPClientWebhookTransport: WebhookTransport {
    let client: HTTPClient

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func post(_ body: Data, to url: URL, timeout: Duration) async throws -> Int {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "outlet-backup-monitor")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeout.milliseconds) * 1_000_000))
        // Drain (a little of) the body so the connection can be reused; its content is not needed.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }
}
