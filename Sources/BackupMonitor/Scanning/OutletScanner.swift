import Foundation
import Synchronization

/// Checks one outlet for one mode and day: never throws, every failure becomes a classified
/// record (SPEC §4), and the whole check is bounded by the outlet deadline (SPEC §6).
struct OutletScanner: Sendable {
    let source: any RemoteFolderSource
    let evaluator: BackupEvaluator
    let outletTimeout: Duration

    struct Result: Sendable {
        var record: BackupRecord
        /// IBSTORAGE: the share where the folder was found.
        var foundShare: String?
        /// The check failed because nothing answered in time (`ListingError.timedOut`).
        var timedOut = false
        /// How long the outlet held its session slot (nil: it never got one, it did not
        /// connect): what the adaptive concurrency reads.
        var sessionTime: Duration?
    }

    /// `executor`: where the check runs (the caller's task prefers it) and whose timer bounds it.
    /// `admission`: awaited once the outlet is reachable, before its session (session slots).
    func scan(
        _ plan: OutletScanPlan, day: CalendarDay, scanID: String, executor: (any ScanCheckExecutor)? = nil,
        admission: (@Sendable () async throws -> Void)? = nil
    ) async -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        let slotWait = SlotWait()
        let timedAdmission = admission.map { admit in
            { @Sendable in try await slotWait.measure(admit) }
        }
        let outcome: Swift.Result<Listing, ListingError>
        do {
            outcome = .success(
                try await withDeadline(outletTimeout, executor: executor) { try await list(plan, timedAdmission) })
        } catch let error as ListingError {
            outcome = .failure(error)
        } catch is DeadlineExceeded {
            outcome = .failure(
                ListingError(
                    .unreachable, "No answer within the outlet deadline of \(outletTimeout.secondsText).",
                    timedOut: true))
        } catch {
            outcome = .failure(ListingError(.protocol, "Unexpected error: \(error)"))
        }
        // The outlet's own time (SPEC §5): outlets connect ahead of their session slot, and the
        // wait for a slot is the scan's queue, not the outlet's.
        let now = clock.now
        let duration = started.duration(to: now) - slotWait.total
        let sessionTime = slotWait.admittedAt.map { $0.duration(to: now) }
        var record = BackupRecord(
            mode: plan.mode, outletCode: plan.outlet.code, scanDate: day, status: .failed, duration: duration,
            scanID: scanID, scannedAt: Date())
        switch outcome {
        case .failure(let error):
            record.failureKind = error.kind
            record.errorDetails = error.message
            if plan.mode == .ibstorage, let share = error.share {
                record.driveLetter = ScanPlanner.driveLetter(ofShare: share)
            }
            return Result(record: record, foundShare: nil, timedOut: error.timedOut, sessionTime: sessionTime)
        case .success(let listing):
            let verdict = evaluator.evaluate(listing.files, on: day)
            record.status = verdict.status
            record.failureKind = verdict.failureKind
            record.errorDetails = verdict.details
            record.fileName = verdict.file?.name
            record.fileSize = verdict.file?.size
            record.lastBackupAt = verdict.file?.lastWriteTime
            record.isAdvanced = verdict.isAdvanced
            if plan.mode == .ibstorage { record.driveLetter = ScanPlanner.driveLetter(ofShare: listing.share) }
            return Result(
                record: record, foundShare: plan.mode == .ibstorage ? listing.share : nil, sessionTime: sessionTime)
        }
    }

    private struct Listing: Sendable {
        var share: String
        var files: [RemoteFile]
    }

    /// D-Drive: one share. IBSTORAGE: the first share that has the folder, in plan order, over
    /// one session; a missing share or folder means "not this drive", anything else ends the check.
    private func list(_ plan: OutletScanPlan, _ admission: (@Sendable () async throws -> Void)?) async throws -> Listing
    {
        try await source.withSession(
            host: plan.outlet.host, port: plan.outlet.port, account: plan.account, admission: admission
        ) { session in
            if plan.mode == .ddrive {
                let share = plan.shares[0]
                return Listing(share: share, files: try await session.list(share: share, folder: plan.folder))
            }
            var tried: [String] = []
            // The drive of last time alone first (usually the answer) when it is still configured
            // (the planner put it first); otherwise every drive in one round trip.
            var batches: [ArraySlice<String>] = [plan.shares[...]]
            let lastDriveFirst = plan.outlet.lastIBStorageDrive.map {
                plan.shares.first?.caseInsensitiveCompare($0) == .orderedSame
            }
            if lastDriveFirst == true && plan.shares.count > 1 {
                batches = [plan.shares.prefix(1), plan.shares.dropFirst()]
            }
            for batch in batches {
                let shares = Array(batch)
                let results = try await session.list(shares: shares, folder: plan.folder)
                for (share, result) in zip(shares, results) {
                    switch result {
                    case .success(let files):
                        return Listing(share: share, files: files)
                    case .failure(let error):
                        switch error.kind {
                        case .shareMissing: tried.append("\(share) (no such share)")
                        case .folderMissing: tried.append("\(share) (no \(plan.folder) folder)")
                        case .accessDenied:
                            // The folder is there but unreadable: this is the drive, and the answer.
                            var denied = error
                            denied.share = share
                            throw denied
                        default: throw error
                        }
                    }
                }
            }
            throw ListingError(.driveNotFound, "IBSTORAGE drive not found; tried \(tried.joined(separator: ", ")).")
        }
    }
}

struct DeadlineExceeded: Error {}

/// Runs `body`, cancelling it and throwing `DeadlineExceeded` once `limit` has passed.
///
/// With an executor, `body` runs there and the executor's own timer cancels it: no timer task,
/// no sleeping child and no thread hop (a `Task.sleep` per outlet costs a timer thread wake-up).
func withDeadline<T: Sendable>(
    _ limit: Duration, executor: (any ScanCheckExecutor)? = nil, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    guard let executor else { return try await withSleepingDeadline(limit, body) }
    let expired = ExpiryFlag()
    let task = Task(executorPreference: executor) { try await body() }
    let cancelTimer = executor.deadline(after: limit) {
        expired.set()
        task.cancel()
    }
    defer { cancelTimer() }
    do {
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    } catch {
        if expired.isSet { throw DeadlineExceeded() }
        throw error
    }
}

/// Whether a deadline fired (set on the timer's thread, read by the waiting task).
private final class ExpiryFlag: Sendable {
    private let state = Mutex(false)

    func set() { state.withLock { $0 = true } }
    var isSet: Bool { state.withLock { $0 } }
}

private func withSleepingDeadline<T: Sendable>(
    _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DeadlineExceeded()
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

extension Duration {
    /// `30 s`, `2.5 s`: for sentences people read.
    var secondsText: String {
        let milliseconds = self.milliseconds
        return milliseconds % 1000 == 0
            ? "\(milliseconds / 1000) s" : String(format: "%.1f s", Double(milliseconds) / 1000)
    }
}

/// How long one outlet waited for its session slot, and when it got it.
private final class SlotWait: Sendable {
    private let state = Mutex((waited: Duration.zero, admittedAt: ContinuousClock.Instant?.none))

    var total: Duration { state.withLock { $0.waited } }
    var admittedAt: ContinuousClock.Instant? { state.withLock { $0.admittedAt } }

    func measure(_ admit: @Sendable () async throws -> Void) async throws {
        let start = ContinuousClock.now
        defer { state.withLock { $0.waited += start.duration(to: .now) } }
        try await admit()
        state.withLock { $0.admittedAt = .now }
    }
}
