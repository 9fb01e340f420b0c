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

    /// An event's id: its scan and its place in that scan (`<scan id>:<n>`, `ScanSequence`: 0 for
    /// `started`, one per outlet, then a second pass's events, and last `complete`), so a reconnecting EventSource says which scan
    /// it was following and how far it got. A bare number (an older client's) names no scan.
    struct EventID: Sendable, Hashable, CustomStringConvertible {
        var scanID: String?
        var sequence: Int

        var description: String { scanID.map { "\($0):\(sequence)" } ?? String(sequence) }

        /// `Last-Event-ID` as sent by EventSource on reconnect; nil when absent, a 400 when malformed.
        static func lastEventID(_ request: Request) throws -> EventID? {
            guard let raw = request.headers[FieldName("Last-Event-ID")!] else { return nil }
            let text = raw.trimmingCharacters(in: .whitespaces)
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            let scanID = parts.count == 2 ? UUID(uuidString: String(parts[0]))?.uuidString.lowercased() : nil
            guard parts.count <= 2, parts.count == 1 || scanID != nil, let sequence = parts.last.flatMap({ Int($0) }),
                sequence >= 0
            else {
                throw APIError.badRequest(
                    "Last-Event-ID must be SCAN_ID:N as this server sent it, got \"\(text.prefix(60))\"",
                    parameter: "Last-Event-ID")
            }
            return EventID(scanID: scanID, sequence: sequence)
        }
    }

    /// 204 No Content: what tells an EventSource to stop reconnecting (the scan it followed is over).
    static var noMoreEvents: Response { Response(status: .noContent) }

    static func response(
        items: AsyncStream<Item>, joined: Bool, resumeAfter lastEventID: EventID?, keepAlive: Duration,
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
                            if let lastEventID, id.sequence <= lastEventID.sequence, !last { continue }
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

    private static func encode(_ item: Item, joined: Bool, timeZone: TimeZone) -> (EventID, Data, Bool) {
        switch item {
        case .event(let event):
            let (sequence, data) = ScanEventPayload.encode(event, joined: joined, timeZone: timeZone)
            let id = EventID(scanID: event.scanID, sequence: sequence)
            if case .finished = event { return (id, data, true) }
            return (id, data, false)
        case .stored(let complete, let sequence):
            return (EventID(scanID: complete.scanId, sequence: sequence), ScanEventPayload.json(complete), true)
        }
    }

    private static func frame(id: EventID, data: Data) -> ByteBuffer {
        var buffer = ByteBuffer(string: "id: \(id)\ndata: ")
        buffer.writeBytes(data)
        buffer.writeString("\n\n")
        return buffer
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
