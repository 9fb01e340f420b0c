import Foundation
import Logging
import Synchronization

/// Runs one scan: up to `SCAN_CONCURRENCY` outlets in an SMB session at once (fewer while the
/// path is congested: `ConcurrencyController`), each result stored as soon as it is known,
/// progress published as it happens, and the outlets that timed out tried once more at the end
/// (SPEC §6).
///
/// Up to `connectAhead` times as many outlets more than the current session limit are
/// connecting or connected and waiting for a session slot: a dead outlet spends its connect
/// timeout outside the session limit, instead of starting late and holding the end of the scan
/// back; and as the limit falls on a congested path, fewer outlets connect at once.
///
/// In the second pass an outlet that times out again is tried a third time at the end of the
/// pass, once the pass has seen an outlet recover: the time-outs are then the path's (a lost
/// SYN, a burst of queueing), and each try is a fresh chance; while nothing recovers (the
/// outlets that are switched off), nothing is tried a third time.
///
/// Results are stored in small batches: the first result of a batch opens a window of
/// `batchWindow`, and everything that finishes within it is stored in one transaction, then
/// published. A record is therefore always stored before anyone hears of it, a crash loses at
/// most the results of one window (none of them reported), and a scan no longer pays a
/// transaction and a round of thread hops per outlet.
struct ScanEngine: Sendable {
    let source: any RemoteFolderSource
    let records: RecordRepository
    let scans: ScanRepository
    let evaluator: BackupEvaluator
    /// `SCAN_CONCURRENCY`: the ceiling of the adaptive session limit.
    let concurrency: Int
    let outletTimeout: Duration
    let logger: Logger
    /// `SCAN_CONCURRENCY_FLOOR`: the adaptive limit never goes below it.
    var concurrencyFloor = 8
    /// Sessions at once when the outlets that timed out are tried again.
    var secondPassConcurrency = 8
    /// How long a finished result may wait for others to share its transaction.
    var batchWindow: Duration = .milliseconds(50)
    /// Outlets connecting or waiting for a session slot, per session slot.
    var connectAhead = 3
    /// Waits before each new attempt to store a batch that failed: a database that hiccups (a
    /// restart, a lock time-out, a full disk freed) gets a few seconds before results are
    /// reported as not stored.
    var storeRetryDelays: [Duration] = [.milliseconds(200), .seconds(1), .seconds(3)]

    /// Outlets in flight at once, per session slot: in a session, connecting, or connected and
    /// waiting; each holds a socket, so the open-file limit (raised as far as allowed) caps them.
    private func inFlight(sessions: Int) -> ConcurrencyGovernor.InFlight {
        let gate = ConcurrencyGovernor.InFlight(
            slots: SessionSlots(1), perSession: 1 + connectAhead, cap: OpenFileLimit.processLimit - 256)
        gate.slots.setLimit(gate.limit(forSessions: max(1, sessions)))
        return gate
    }

    /// The engine publishes events in order, several at a time (a stored batch).
    typealias Publish = @Sendable ([ScanEvent]) async -> Void

    func run(_ plans: [OutletScanPlan], started: ScanStarted, publish: @escaping Publish) async -> ScanSummary {
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
        await publish([.started(started)])
        let scanner = OutletScanner(source: source, evaluator: evaluator, outletTimeout: outletTimeout)
        var progress = Progress(scanID: started.scanID, total: plans.count)
        progress.records.reserveCapacity(plans.count)
        let lagProbe = source.makeCheckExecutor().map { LoopLagProbe(executor: $0) }
        lagProbe?.start()

        let slots = SessionSlots(concurrency)
        let firstInFlight = inFlight(sessions: concurrency)
        let governor = ConcurrencyGovernor(
            ConcurrencyController.Settings(floor: concurrencyFloor, ceiling: concurrency), slots: slots,
            inFlight: firstInFlight, begin: begin)
        await runPass(
            plans, pass: 1, started: started, scanner: scanner, slots: slots, inFlight: firstInFlight,
            governor: governor, progress: &progress, publish: publish, logger: logger)
        let firstPass = progress.counts

        // Outlets that timed out were stored as failed at once; tried again at low concurrency
        // with the full deadlines, a success replaces the failure.
        let retry = progress.timedOut
        if !retry.isEmpty, !Task.isCancelled {
            let retrying = ScanRetrying(
                scanID: started.scanID, mode: started.mode, count: retry.count,
                concurrency: min(secondPassConcurrency, concurrency),
                total: plans.count)
            logger.notice(
                "retrying outlets that timed out",
                metadata: ["outlets": "\(retry.count)", "concurrency": "\(retrying.concurrency)"])
            await publish([.retrying(retrying)])
            await runPass(
                retry, pass: 2, started: started, scanner: scanner, slots: SessionSlots(retrying.concurrency),
                inFlight: inFlight(sessions: retrying.concurrency), governor: nil, progress: &progress,
                publish: publish, logger: logger)
        }
        let loopLag = lagProbe?.stop()
        let concurrencyReport = governor.report

        var summary = ScanSummary(
            scanID: started.scanID, mode: started.mode, day: started.day,
            records: progress.records.sorted { $0.outletCode < $1.outletCode }, succeeded: progress.succeeded,
            failed: progress.failed, processingTime: begin.duration(to: clock.now), finishedAt: Date(),
            notStored: progress.notStored)
        summary.firstPass = firstPass
        summary.timedOutOutlets = progress.timedOutNow
        summary.retried = progress.retried
        summary.recovered = progress.recovered
        summary.concurrency = concurrencyReport.steps
        summary.loopLagMax = loopLag
        summary.degradation = ScanDegradation.judge(
            firstPass: firstPass, retried: progress.retried, recovered: progress.recovered, loopLagMax: loopLag,
            cuts: concurrencyReport.cuts, lowest: concurrencyReport.lowest)
        // A cancelled scan (server shutdown) still records how far it got: the write runs in
        // its own task, which does not inherit the cancellation.
        let state: ScanRun.State = Task.isCancelled ? .interrupted : summary.notStored.isEmpty ? .finished : .failed
        let scans = scans
        do {
            try await Task { [summary] in try await scans.finish(summary, state: state) }.value
        } catch {
            logger.error("could not store the scan's end", metadata: ["error": "\(String(reflecting: error))"])
        }
        var metadata: Logger.Metadata = [
            "outlets": "\(plans.count)", "successful": "\(progress.succeeded)", "failed": "\(progress.failed)",
            "not_stored": "\(progress.notStored.count)", "retried": "\(progress.retried)",
            "recovered": "\(progress.recovered)", "seconds": "\(Double(summary.processingTime.milliseconds) / 1000)",
        ]
        if let degradation = summary.degradation {
            metadata["degraded"] = "\(degradation.sentence)"
            logger.warning("scan finished degraded", metadata: metadata)
        } else {
            logger.info("scan finished", metadata: metadata)
        }
        await publish([.finished(summary)])
        return summary
    }

    /// One pass over `plans`: workers check outlets while the engine stores their results in
    /// batches and publishes them. Each outlet first takes a place in flight (`inFlight`), then,
    /// once connected, a session slot (`slots`).
    private func runPass(
        _ plans: [OutletScanPlan], pass: Int, started: ScanStarted, scanner: OutletScanner, slots: SessionSlots,
        inFlight: ConcurrencyGovernor.InFlight, governor: ConcurrencyGovernor?, progress: inout Progress,
        publish: Publish, logger: Logger
    ) async {
        let queue = PlanQueue(plans)
        let finished = FinishedChecks()
        let recovered = RecoveredCount()
        let window = batchWindow
        // As many workers as the gate could ever admit (the governor may raise the session limit
        // up to the ceiling); the gate decides how many run.
        let workers = inFlight.limit(forSessions: governor == nil ? slots.limit : max(1, concurrency))
        await withTaskGroup(of: Void.self) { group in
            // Workers check outlets one after another, each on its own executor (an SMB event
            // loop): nothing wakes the engine between two outlets; it wakes once per batch.
            for _ in 0..<min(workers, plans.count) {
                let executor = source.makeCheckExecutor()
                group.addTask(executorPreference: executor) {
                    while true {
                        // A cancelled scan still takes every outlet (each yields an interrupted
                        // result), so a refused place in flight only skips the wait.
                        let place = SessionTicket(inFlight.slots)
                        try? await place.acquire()
                        guard let item = queue.next() else {
                            place.release()
                            break
                        }
                        let checked = await self.check(
                            item.plan, day: started.day, scanID: started.scanID, scanner, slots, executor)
                        place.release()
                        governor?.observe(checked.result)
                        if pass > 1, checked.result.record.status == .success {
                            recovered.add()
                        }
                        if pass > 1, item.tries == 1, checked.result.timedOut, !checked.interrupted,
                            recovered.any
                        {
                            queue.requeue(item.plan, tries: 2)
                            continue
                        }
                        finished.append(checked)
                    }
                }
            }
            var stored = 0
            while stored < plans.count {
                await finished.waitForFirst()
                // Everything that finishes within the window shares one transaction; the last
                // results of a pass are stored at once.
                if stored + finished.count < plans.count {
                    try? await Task.sleep(for: window)
                }
                let batch = finished.drain()
                stored += batch.count
                await store(
                    batch, pass: pass, concurrency: governor?.limit ?? slots.limit, progress: &progress,
                    publish: publish, logger: logger)
            }
        }
    }

    /// One outlet's result, not stored yet.
    fileprivate struct Checked: Sendable {
        var result: OutletScanner.Result
        var plan: OutletScanPlan
        /// The scan was cancelled (shutdown) while this outlet was checked: it was broken off,
        /// not checked, so it is reported but not stored.
        var interrupted: Bool
    }

    /// Counts and records published so far.
    private struct Progress {
        var scanID: String
        var total: Int
        var records: [BackupRecord] = []
        /// Where each outlet's record is in `records`, for the second pass to replace it.
        var positions: [String: Int] = [:]
        var succeeded = 0
        var failed = 0
        var timedOutInFirstPass = 0
        var notStored: [String: String] = [:]
        /// First-pass outlets that timed out, to be tried again.
        var timedOut: [OutletScanPlan] = []
        /// Outlets whose latest result is a time-out.
        var timedOutNow: Set<String> = []
        var retried = 0
        var recovered = 0

        var counts: PassCounts {
            PassCounts(succeeded: succeeded, failed: failed, timedOut: timedOutInFirstPass)
        }

        /// Counts `record`; in the second pass it replaces the outlet's first record.
        mutating func add(_ record: BackupRecord, pass: Int) -> Int {
            if pass > 1, let position = positions[record.outletCode] {
                if records[position].status == .success { succeeded -= 1 } else { failed -= 1 }
                retried += 1
                if record.status == .success { recovered += 1 }
                records[position] = record
            } else {
                positions[record.outletCode] = records.count
                records.append(record)
            }
            if record.status == .success { succeeded += 1 } else { failed += 1 }
            return pass > 1 ? retried : records.count
        }
    }

    /// Runs on `executor` when the source offers one (an SMB event loop: no thread hops).
    private func check(
        _ plan: OutletScanPlan, day: CalendarDay, scanID: String, _ scanner: OutletScanner, _ slots: SessionSlots,
        _ executor: (any ScanCheckExecutor)?
    ) async -> Checked {
        let ticket = SessionTicket(slots)
        let result = await scanner.scan(
            plan, day: day, scanID: scanID, executor: executor, admission: { try await ticket.acquire() })
        ticket.release()
        return Checked(result: result, plan: plan, interrupted: Task.isCancelled)
    }

    /// Stores a batch in one transaction, then publishes its results: nobody hears of a result
    /// before it is stored.
    private func store(
        _ batch: [Checked], pass: Int, concurrency: Int, progress: inout Progress, publish: Publish, logger: Logger
    ) async {
        let kept = batch.filter { !$0.interrupted }
        var drives: [String: String] = [:]
        for checked in kept {
            // Compared without case: a drive remembered as G$ and found as g$ is the same drive.
            if let share = checked.result.foundShare,
                share.lowercased() != checked.plan.outlet.lastIBStorageDrive?.lowercased()
            {
                drives[checked.plan.outlet.code] = share
            }
        }
        var storeError: String?
        // Good records that these results' connection-level failures left in place (SPEC §5):
        // reported as stored, a success with a note, not as the failure.
        var goodKept: [String: BackupRecord] = [:]
        if !kept.isEmpty {
            let saved = await save(kept.map(\.result.record), drives: drives, logger: logger)
            storeError = saved.error
            for record in saved.kept { goodKept[record.outletCode] = record }
        }
        var events: [ScanEvent] = []
        events.reserveCapacity(batch.count)
        for checked in batch {
            let keptGood = checked.interrupted ? nil : goodKept[checked.result.record.outletCode]
            let record = keptGood ?? checked.result.record
            let timedOut = checked.result.timedOut && keptGood == nil
            let done = progress.add(record, pass: pass)
            if timedOut {
                progress.timedOutNow.insert(record.outletCode)
            } else {
                progress.timedOutNow.remove(record.outletCode)
            }
            if pass == 1, checked.result.timedOut, !checked.interrupted {
                progress.timedOutInFirstPass += 1
            }
            if pass == 1, timedOut, !checked.interrupted {
                progress.timedOut.append(checked.plan)
            }
            if let kind = record.failureKind {
                logger.debug(
                    "outlet failed",
                    metadata: [
                        "outlet": "\(record.outletCode)", "reason": "\(kind.rawValue)",
                        "details": "\(record.errorDetails ?? "")",
                    ])
            }
            // An interrupted outlet was never meant to be stored; a kept one whose batch failed is
            // reported as not stored, never as done.
            let notStored = checked.interrupted ? nil : storeError
            if let notStored { progress.notStored[record.outletCode] = notStored }
            events.append(
                .outletFinished(
                    OutletProgress(
                        scanID: progress.scanID, record: record, done: done, total: progress.total,
                        succeeded: progress.succeeded, failed: progress.failed, notStored: notStored, pass: pass,
                        concurrency: concurrency)))
        }
        await publish(events)
    }

    /// Stores a batch in one transaction, trying again after each of `storeRetryDelays`; returns
    /// the good records kept instead of failures once stored, or the last error when every
    /// attempt failed.
    private func save(_ rows: [BackupRecord], drives: [String: String], logger: Logger) async -> (
        error: String?, kept: [BackupRecord]
    ) {
        let records = records
        var attempt = 0
        while true {
            do {
                if Task.isCancelled {
                    // Its own task: results that finished before a shutdown are still stored.
                    return (nil, try await Task { try await records.save(rows, drives: drives) }.value)
                }
                return (nil, try await records.save(rows, drives: drives))
            } catch {
                let text = StorageErrorText.describe(error)
                guard attempt < storeRetryDelays.count else {
                    logger.error(
                        "outlets' records not stored",
                        metadata: [
                            "outlets": "\(rows.map(\.outletCode).joined(separator: ","))", "attempts": "\(attempt + 1)",
                            "error": "\(String(reflecting: error))",
                        ])
                    return (text, [])
                }
                logger.warning(
                    "storing outlets' records failed; trying again",
                    metadata: ["outlets": "\(rows.count)", "attempt": "\(attempt + 1)", "error": "\(text)"])
                // Not cancellable: a shutdown still gets its retries, as the store itself does.
                let delay = storeRetryDelays[attempt]
                try? await Task { try await Task.sleep(for: delay) }.value
                attempt += 1
            }
        }
    }
}

extension ScanEngine {
    /// Outlets of a retry pass that answered so far: the evidence that its time-outs are the path's.
    fileprivate final class RecoveredCount: Sendable {
        private let count = Atomic<Int>(0)

        func add() { count.add(1, ordering: .relaxed) }
        var any: Bool { count.load(ordering: .relaxed) > 0 }
    }

    /// The outlets no worker has taken yet, with how often each was tried in this pass.
    fileprivate final class PlanQueue: Sendable {
        struct Item: Sendable {
            var plan: OutletScanPlan
            var tries: Int
        }

        private let rest: Mutex<ArraySlice<Item>>

        init(_ plans: [OutletScanPlan]) {
            rest = Mutex(plans.map { Item(plan: $0, tries: 1) }[...])
        }

        func next() -> Item? {
            rest.withLock { $0.popFirst() }
        }

        /// Back at the end of the queue, to be tried again.
        func requeue(_ plan: OutletScanPlan, tries: Int) {
            rest.withLock { $0.append(Item(plan: plan, tries: tries)) }
        }
    }

    /// Results the workers have finished and the engine has not stored yet.
    fileprivate final class FinishedChecks: Sendable {
        private struct State {
            var checks: [Checked] = []
            var waiter: CheckedContinuation<Void, Never>?
        }

        private let state = Mutex(State())

        var count: Int { state.withLock { $0.checks.count } }

        func append(_ checked: Checked) {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.checks.append(checked)
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }

        /// Returns once at least one result is waiting (not cancellable: every outlet yields a
        /// result, a cancelled scan an interrupted one, so the wait always ends).
        func waitForFirst() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if !state.checks.isEmpty { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }

        func drain() -> [Checked] {
            state.withLock { state in
                defer { state.checks.removeAll(keepingCapacity: true) }
                return state.checks
            }
        }
    }
}
