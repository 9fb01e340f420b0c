import BackupMonitor
import Foundation
import Hummingbird

/// Scan streams that follow a scan without ever starting one: a scan's own events URL, and an
/// EventSource reconnecting with `Last-Event-ID` (SPEC §7). A running scan is joined and resumed
/// after the last event the client saw; a finished one replays its final event once, and once
/// that was delivered the answer is 204 No Content, which tells an EventSource to stop.
struct ScanStreamResumption {
    let dependencies: AppDependencies

    /// A reconnect to a mode's scan stream (`/api/v1/backup-status/scan`).
    func resume(after last: ServerSentEventStream.EventID, mode: ScanMode) async throws -> Response {
        if let scanID = last.scanID { return try await follow(scanID: scanID, after: last) }
        // A bare number names no scan: resume the running scan of the mode, if any; else stop.
        guard let running = await dependencies.coordinator.runningScan(mode) else {
            return ServerSentEventStream.noMoreEvents
        }
        return try await follow(scanID: running.scanID, after: last)
    }

    /// The events of one scan from after `last` (from the start when nil).
    func follow(scanID: String, after last: ServerSentEventStream.EventID?) async throws -> Response {
        let timeZone = dependencies.configuration.timeZone
        if let subscription = await dependencies.coordinator.follow(scanID: scanID) {
            return ServerSentEventStream.response(
                items: ServerSentEventStream.items(subscription.events), joined: true, resumeAfter: last,
                keepAlive: dependencies.keepAliveInterval, timeZone: timeZone)
        }
        guard let run = try await dependencies.scans.scan(id: scanID) else {
            // A reconnect for a scan this database never had: nothing will come, so stop.
            if last != nil { return ServerSentEventStream.noMoreEvents }
            throw APIError.notFound("no scan \(scanID)")
        }
        let finalSequence = run.endSequence
        if let last, last.sequence >= finalSequence { return ServerSentEventStream.noMoreEvents }
        let complete = ScanEventPayload.StoredComplete(
            scanId: run.id, mode: run.mode.rawValue, scanDate: run.day.description, state: run.state.rawValue,
            count: run.succeeded + run.failed, successCount: run.succeeded, failedCount: run.failed,
            advancedDateCount: run.advanced, retriedCount: run.retried, recoveredCount: run.recovered,
            secondTry: run.secondTry, degraded: run.degraded,
            timestamp: run.finishedAt.map { ISO8601Text.format($0, timeZone: timeZone) })
        let (items, continuation) = AsyncStream<ServerSentEventStream.Item>.makeStream()
        continuation.yield(.stored(complete, id: finalSequence))
        continuation.finish()
        return ServerSentEventStream.response(
            items: items, joined: true, resumeAfter: last, keepAlive: dependencies.keepAliveInterval,
            timeZone: timeZone)
    }
}
