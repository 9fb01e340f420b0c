import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// A webhook endpoint on 127.0.0.1 for the tests: records every POST and answers with the
/// statuses queued (then 200), or always with the status given for a path prefix, optionally
/// after a delay (to provoke client timeouts).
actor WebhookReceiver {
    struct Received: Sendable {
        var path: String
        var contentType: String?
        var body: Data
    }

    private(set) var received: [Received] = []
    private var statuses: [Int]
    private let byPath: [String: Int]
    private let delay: Duration

    init(statuses: [Int] = [], byPath: [String: Int] = [:], delay: Duration = .zero) {
        self.statuses = statuses
        self.byPath = byPath
        self.delay = delay
    }

    private func take(_ request: Received) -> Int {
        received.append(request)
        if let status = byPath.first(where: { request.path.hasPrefix($0.key) })?.value { return status }
        return statuses.isEmpty ? 200 : statuses.removeFirst()
    }

    /// Serves until `body` returns; `body` gets the base URL (`http://127.0.0.1:PORT`).
    func serve<R: Sendable>(_ body: @Sendable (String) async throws -> R) async throws -> R {
        let router = Router()
        let delay = delay
        router.post("**") { request, context -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let status = await self.take(
                Received(path: request.uri.path, contentType: request.headers[.contentType], body: Data(buffer: buffer))
            )
            if delay > .zero { try await Task.sleep(for: delay) }
            return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: Logger(label: "test.webhook-receiver"))
        return try await application.test(.live) { client in
            guard let port = client.port else { throw CancellationError() }
            return try await body("http://127.0.0.1:\(port)")
        }
    }
}

extension [WebhookReceiver.Received] {
    /// The bodies that are JSON objects.
    var json: [[String: Any]] {
        compactMap { (try? JSONSerialization.jsonObject(with: $0.body)) as? [String: Any] }
    }
}
