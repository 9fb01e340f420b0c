import BackupMonitor
import Foundation
import Hummingbird
import ServiceLifecycle

/// Writes scan events as server-sent events (text/event-stream), with keep-alive comments
/// while outlets are slow, until the scan completes, the client goes away, or the server
/// shuts down: a graceful shutdown ends every stream at once, so SIGTERM is never held up
/// by a browser left open on the dashboard.
enum ServerSentEventStream {
    enum Item: Sendable {
        case event(ScanEvent)
        case stored(ScanEventPayload.StoredComplete, id: Int)
    }

    static func response(
        items: AsyncStream<Item>, joined: Bool, resumeAfter lastEventID: Int?, keepAlive: Duration,
        timeZone: TimeZone
    ) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache",
        ]
        // nginx and similar proxies buffer answers unless told not to.
        headers[FieldName("X-Accel-Buffering")!] = "no"
        let body = ResponseBody { writer in
            let (chunks, output) = AsyncStream<ByteBuffer>.makeStream()
            await withGracefulShutdownHandler {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        output.yield(ByteBuffer(string: "retry: 3000\n\n"))
                        for await item in items {
                            let (id, data, last) = encode(item, joined: joined, timeZone: timeZone)
                            if let lastEventID, id <= lastEventID, !last { continue }
                            output.yield(frame(id: id, data: data))
                            if last { break }
                        }
                        output.finish()
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            do { try await Task.sleep(for: keepAlive) } catch { return }
                            output.yield(ByteBuffer(string: ": keep-alive\n\n"))
                        }
                    }
                    do {
                        for await chunk in chunks { try await writer.write(chunk) }
                    } catch {
                        // The client went away; the scan itself goes on.
                    }
                    group.cancelAll()
                }
            } onGracefulShutdown: {
                output.finish()
            }
            try? await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    private static func encode(_ item: Item, joined: Bool, timeZone: TimeZone) -> (Int, Data, Bool) {
        switch item {
        case .event(let event):
            let (id, data) = ScanEventPayload.encode(event, joined: joined, timeZone: timeZone)
            if case .finished = event { return (id, data, true) }
            return (id, data, false)
        case .stored(let complete, let id):
            return (id, ScanEventPayload.json(complete), true)
        }
    }

    private static func frame(id: Int, data: Data) -> ByteBuffer {
        var buffer = ByteBuffer(string: "id: \(id)\ndata: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
    }

    /// `Last-Event-ID` as sent by EventSource on reconnect; a malformed value is a 400.
    static func lastEventID(_ request: Request) throws -> Int? {
        guard let text = request.headers[FieldName("Last-Event-ID")!] else { return nil }
        guard let id = Int(text.trimmingCharacters(in: .whitespaces)), id >= 0 else {
            throw APIError.badRequest(
                "Last-Event-ID must be a whole number, got \"\(text.prefix(40))\"", parameter: "Last-Event-ID")
        }
        return id
    }

    /// Scan events as stream items.
    static func items(_ events: AsyncStream<ScanEvent>) -> AsyncStream<Item> {
        AsyncStream { continuation in
            let task = Task {
                for await event in events { continuation.yield(.event(event)) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
