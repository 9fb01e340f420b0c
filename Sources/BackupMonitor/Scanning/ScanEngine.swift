import Foundation
import Logging

/// Runs one scan: every planned outlet in flight up to `SCAN_CONCURRENCY`, each result stored
/// the moment it is known, progress published as it happens (SPEC §6).
struct ScanEngine: Sendable {
    let source: any RemoteFolderSource
    let records: RecordRepository
    let outlets: OutletRepository
    let scans: ScanRepository
    let evaluator: BackupEvaluator
    let concurrency: Int
    let outletTimeout: Duration
    let logger: Logger

    func run(
        _ plans: [OutletScanPlan], started: ScanStarted, publish: @escaping @Sendable (ScanEvent) async -> Void
    ) async -> ScanSummary {
        let clock = ContinuousClock()
        let begin = clock.now
        var logger = logger
        logger[metadataKey: "scan_id"] = "\(started.scanID)"
        logger[metadataKey: "mode"] = "\(started.mode.rawValue)"
        do {
            try await scans.insert(started)
        } catch {
            logger.error("could not store the scan's start", metadata: ["error": "\(String(reflecting: error))"])
        }
        await publish(.started(started))
        let scanner = OutletScanner(source: source, evaluator: evaluator, outletTimeout: outletTimeout)
        var results: [BackupRecord] = []
        results.reserveCapacity(plans.count)
        var succeeded = 0
        var failed = 0

        let scanLogger = logger
        await withTaskGroup(of: BackupRecord.self) { group in
            var pending = plans[...]
            while let plan = pending.popFirst() {
                group.addTask { await self.check(plan, started: started, scanner: scanner, logger: scanLogger) }
                if plans.count - pending.count >= max(1, concurrency) { break }
            }
            while let record = await group.next() {
                results.append(record)
                if record.status == .success { succeeded += 1 } else { failed += 1 }
                await publish(
                    .outletFinished(
                        OutletProgress(
                            scanID: started.scanID, record: record, done: results.count, total: plans.count,
                            succeeded: succeeded, failed: failed)))
                if let plan = pending.popFirst() {
                    group.addTask { await self.check(plan, started: started, scanner: scanner, logger: scanLogger) }
                }
            }
        }

        let summary = ScanSummary(
            scanID: started.scanID, mode: started.mode, day: started.day,
            records: results.sorted { $0.outletCode < $1.outletCode }, succeeded: succeeded, failed: failed,
            processingTime: begin.duration(to: clock.now), finishedAt: Date())
        // A cancelled scan (server shutdown) still records how far it got: the write runs in
        // its own task, which does not inherit the cancellation.
        let state: ScanRun.State = Task.isCancelled ? .interrupted : .finished
        let scans = scans
        do {
            try await Task { try await scans.finish(summary, state: state) }.value
        } catch {
            logger.error("could not store the scan's end", metadata: ["error": "\(String(reflecting: error))"])
        }
        logger.info(
            "scan finished",
            metadata: [
                "outlets": "\(plans.count)", "successful": "\(succeeded)", "failed": "\(failed)",
                "seconds": "\(Double(summary.processingTime.milliseconds) / 1000)",
            ])
        await publish(.finished(summary))
        return summary
    }

    /// One outlet: scan, then store before anyone hears of it, so a crash loses nothing reported.
    private func check(
        _ plan: OutletScanPlan, started: ScanStarted, scanner: OutletScanner, logger: Logger
    ) async -> BackupRecord {
        let result = await scanner.scan(plan, day: started.day, scanID: started.scanID)
        // A scan cancelled at shutdown stores nothing for outlets it broke off: they were not checked.
        guard !Task.isCancelled else { return result.record }
        do {
            try await records.save(result.record)
            if let share = result.foundShare, share != plan.outlet.lastIBStorageDrive {
                try await outlets.rememberIBStorageDrive(share, for: plan.outlet.code)
            }
        } catch {
            logger.error(
                "could not store an outlet's record",
                metadata: ["outlet": "\(plan.outlet.code)", "error": "\(String(reflecting: error))"])
        }
        if let kind = result.record.failureKind {
            logger.debug(
                "outlet failed",
                metadata: [
                    "outlet": "\(plan.outlet.code)", "reason": "\(kind.rawValue)",
                    "details": "\(result.record.errorDetails ?? "")",
                ])
        }
        return result.record
    }
}
