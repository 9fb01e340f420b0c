import BackupMonitor
import Foundation

/// The JSON of one scan event on the SSE streams (SPEC §6, §7). Every event has a `type`;
/// its SSE id is its position in the scan (`ScanSequence`): 0 for `started`, the outlet's
/// `done` count for `progress`, then a second pass's events, and last `complete`, which makes
/// `Last-Event-ID` resumption exact.
enum ScanEventPayload {
    struct Started: Encodable {
        var type = "started"
        var scanId: String
        var mode: String
        var scanDate: String
        var kind: String
        var triggeredBy: String
        var total: Int
        var joined: Bool
        var startedAt: String
    }

    struct Progress: Encodable {
        var type = "progress"
        var scanId: String
        var done: Int
        var total: Int
        var succeeded: Int
        var failed: Int
        var record: LegacyRecordPayload
        /// False when the record could not be stored; `notStored` then says why.
        var stored: Bool
        var notStored: String?
        /// 2 for an outlet tried again because it timed out (`done` then counts the second pass).
        var pass: Int
        /// Sessions allowed at once (the adaptive limit).
        var concurrency: Int
    }

    /// The first pass is over; `count` outlets that timed out are tried again.
    struct Retrying: Encodable {
        var type = "retrying"
        var scanId: String
        var count: Int
        var concurrency: Int
        var total: Int
        var message: String
    }

    /// The summary object of the original API with `type` added.
    struct Complete: Encodable {
        var summary: LegacyScanResponse

        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: DynamicKey.self)
            try container.encode("complete", forKey: DynamicKey("type"))
        }
    }

    /// The end of a scan that finished before the client connected: its counts, from storage.
    struct StoredComplete: Encodable {
        var type = "complete"
        var status = "success"
        var scanId: String
        var mode: String
        var scanDate: String
        var state: String
        var count: Int
        var successCount: Int
        var failedCount: Int
        var advancedDateCount: Int
        var retriedCount: Int
        var recoveredCount: Int
        var secondTry: String?
        var degraded: String?
        var timestamp: String?
    }

    /// The id and JSON data of `event`.
    static func encode(_ event: ScanEvent, joined: Bool, timeZone: TimeZone) -> (id: Int, json: Data) {
        switch event {
        case .started(let started):
            return (
                0,
                json(
                    Started(
                        scanId: started.scanID, mode: started.mode.rawValue, scanDate: started.day.description,
                        kind: started.kind.rawValue, triggeredBy: started.triggeredBy, total: started.total,
                        joined: joined, startedAt: ISO8601Text.format(started.startedAt, timeZone: timeZone)))
            )
        case .outletFinished(let progress):
            return (
                ScanSequence.outlet(done: progress.done, pass: progress.pass, total: progress.total),
                json(
                    Progress(
                        scanId: progress.scanID, done: progress.done, total: progress.total,
                        succeeded: progress.succeeded, failed: progress.failed,
                        record: LegacyRecordPayload(progress.record, timeZone: timeZone),
                        stored: progress.notStored == nil, notStored: progress.notStored, pass: progress.pass,
                        concurrency: progress.concurrency))
            )
        case .retrying(let retrying):
            return (
                ScanSequence.retrying(total: retrying.total),
                json(
                    Retrying(
                        scanId: retrying.scanID, count: retrying.count, concurrency: retrying.concurrency,
                        total: retrying.total, message: retrying.sentence))
            )
        case .finished(let summary):
            return (
                summary.endSequence,
                json(Complete(summary: LegacyScanResponse(summary, timeZone: timeZone)))
            )
        }
    }

    static func json(_ value: some Encodable) -> Data {
        (try? JSONResponse.encoder.encode(value)) ?? Data(#"{"type":"error"}"#.utf8)
    }
}
