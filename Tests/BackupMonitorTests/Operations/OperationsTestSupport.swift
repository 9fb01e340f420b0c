import BackupMonitorTesting
import Foundation
import Logging
import Synchronization
import Testing

@testable import BackupMonitor

/// A clock the test moves by hand. `advance(to:)` wakes every sleeper (they re-read `now()`
/// and sleep again when nothing is due), and `waitUntilIdle` returns once every scheduler loop
/// is asleep again after the last advance: the point where all due work has been done.
final class ManualClock: SchedulerClock {
    private struct Sleeper {
        var deadline: Date
        var generation: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var generation = 0
        var sleepers: [UUID: Sleeper] = [:]
    }

    private let state: Mutex<State>

    init(_ now: Date) { state = Mutex(State(now: now)) }

    func now() -> Date { state.withLock { $0.now } }

    func sleep(until deadline: Date) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    if deadline <= state.now || Task.isCancelled { return true }
                    state.sleepers[id] = Sleeper(
                        deadline: deadline, generation: state.generation, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }

    func advance(to date: Date) {
        let woken = state.withLock { state in
            state.now = date
            state.generation += 1
            let all = state.sleepers.values.map(\.continuation)
            state.sleepers = [:]
            return all
        }
        for continuation in woken { continuation.resume() }
    }

    /// Deadlines of the loops asleep now, once `count` of them sleep since the last advance.
    @discardableResult
    func waitUntilIdle(loops count: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> [Date]
    {
        let limit = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < limit {
            let deadlines: [Date]? = state.withLock { state in
                let current = state.sleepers.values.filter { $0.generation == state.generation }
                return current.count == count && state.sleepers.count == count ? current.map(\.deadline).sorted() : nil
            }
            if let deadlines { return deadlines }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("the scheduler did not go back to sleep", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}

/// Outlets in memory: each host answers with a good backup at `backupTime`, or a failure; a
/// gate can hold every listing (a scan that is "still going"). Counts listings per host.
final class FakeFleet: RemoteFolderSource {
    private struct State {
        var failing: [String: ListingError] = [:]
        var backupTime = Date(timeIntervalSince1970: 1_795_741_200)  // 2026-11-27T01:00:00Z: tests set their own
        var listings: [String: Int] = [:]
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func setBackupTime(_ date: Date) { state.withLock { $0.backupTime = date } }
    func fail(_ host: String, _ kind: FailureKind = .unreachable) {
        state.withLock { $0.failing[host] = ListingError(kind, "simulated \(kind.rawValue)") }
    }
    func heal(_ host: String) { _ = state.withLock { $0.failing.removeValue(forKey: host) } }
    func listings(_ host: String) -> Int { state.withLock { $0.listings[host] ?? 0 } }
    /// Listings per host, joined for one readable comparison (`"1,2,1"`).
    func listings(_ hosts: String...) -> String { hosts.map { String(listings($0)) }.joined(separator: ",") }
    func hold() { state.withLock { $0.held = true } }
    func release() {
        let waiters = state.withLock { state in
            state.held = false
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func withSession<T: Sendable>(
        host: String, port: Int, account: SMBAccount, admission: (@Sendable () async throws -> Void)?,
        _ body: @Sendable (any RemoteFolderSession) async throws -> T
    ) async throws -> T {
        await withCheckedContinuation { continuation in
            let held = state.withLock { state in
                if state.held { state.waiters.append(continuation) }
                return state.held
            }
            if !held { continuation.resume() }
        }
        let (failure, time) = state.withLock { state in
            state.listings[host, default: 0] += 1
            return (state.failing[host], state.backupTime)
        }
        // Like SMB: an unreachable outlet never gets as far as asking for a session slot.
        if let failure, failure.kind == .unreachable { throw failure }
        try await admission?()
        if let failure { throw failure }
        return try await body(Session(time: time))
    }

    private struct Session: RemoteFolderSession {
        let time: Date
        func list(share: String, folder: String) async throws -> [RemoteFile] {
            [RemoteFile(name: "outlet_full.bak", lastWriteTime: time, size: 5_000_000)]
        }
    }
}

/// Records every webhook body; answers with the statuses queued, then 200.
actor RecordingTransport: WebhookTransport {
    private(set) var bodies: [(url: URL, body: Data)] = []
    private var statuses: [Int]

    init(statuses: [Int] = []) { self.statuses = statuses }

    func post(_ body: Data, to url: URL, timeout: Duration) async throws -> Int {
        bodies.append((url, body))
        return statuses.isEmpty ? 200 : statuses.removeFirst()
    }

    func bodyData() -> [Data] { bodies.map(\.body) }
}

/// The JSON objects among `bodies` (non-objects are dropped and so show up as a short count).
func jsonObjects(_ bodies: [Data]) -> [[String: Any]] {
    bodies.compactMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }
}

/// A scheduler on a fresh database with three outlets (`A`, `B`, `C`, host = code) of a fake fleet.
struct SchedulerHarness {
    static let logger = Logger(label: "test.scheduler")
    let database: MonitorDatabase
    let configuration: MonitorConfiguration
    let coordinator: ScanCoordinator
    let fleet: FakeFleet
    let clock: ManualClock
    let transport: RecordingTransport

    static func with<R: Sendable>(
        _ values: [String: String], start: Date, outlets: [String] = ["A", "B", "C"],
        _ body: (SchedulerHarness) async throws -> R
    ) async throws -> R {
        try await TestDatabase.with(.sqlite) { database in
            var all = [
                "USER": "monitor", "PASS": "secret", "DATABASE_URL": database.location.urlText,
                "NOTIFY_WEBHOOKS": "http://127.0.0.1:9/hook",
            ]
            all.merge(values) { $1 }
            let configuration = try MonitorConfiguration(values: all)
            try await OutletRepository(database: database).save(outlets.map { Outlet(code: $0) })
            let fleet = FakeFleet()
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database, source: fleet, logFile: nil, logger: logger)
            let harness = SchedulerHarness(
                database: database, configuration: configuration, coordinator: coordinator, fleet: fleet,
                clock: ManualClock(start), transport: RecordingTransport())
            let result = try await body(harness)
            await coordinator.cancelAll()
            return result
        }
    }

    func makeScheduler() -> ScanScheduler {
        let notifier = WebhookNotifier(
            configuration: configuration, database: database, transport: transport, backoff: .milliseconds(1),
            logger: Self.logger)
        return ScanScheduler(
            settings: ScheduleSettings(configuration: configuration), coordinator: coordinator, database: database,
            notifier: notifier, clock: clock, maximumSleep: 60 * 86400, logger: Self.logger)
    }

    /// Runs a scheduler until `body` returns, then cancels it (a process stop).
    func running<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        let scheduler = makeScheduler()
        let task = Task { try await scheduler.run() }
        defer { task.cancel() }
        let result = try await body()
        task.cancel()
        _ = try? await task.value
        return result
    }

    func runs(_ day: CalendarDay, mode: ScanMode = .ddrive) async throws -> [ScheduledRun] {
        try await ScheduledRunRepository(database: database).runs(mode: mode, day: day)
    }
}

/// `2026-11-27T07:30:00Z`-style literals.
func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)!
}
