import Foundation
import Logging
import Synchronization

/// Starts scans and fans their progress out: one scan per mode at a time, and a second request
/// for a mode joins the running scan's progress instead of starting another (SPEC §6).
public actor ScanCoordinator {
    /// What a caller gets: the scan's events from its start (replayed when joining) to its end.
    public struct Subscription: Sendable {
        public var scanID: String
        /// True when the request joined a scan that was already running.
        public var joined: Bool
        public var events: AsyncStream<ScanEvent>
    }

    private let configuration: MonitorConfiguration
    private let engine: ScanEngine
    private let outlets: OutletRepository
    private let credentials: OutletCredentials
    private let logFile: ScanLogFile?
    private let logger: Logger
    private var running: [ScanMode: RunningScan] = [:]
    /// Told of every scan this coordinator finishes, with its kind (metrics count scans here,
    /// from the scan's own results, before a later re-scan replaces any record).
    private let finishObservers = Mutex<[@Sendable (ScanSummary, ScanKind) -> Void]>([])

    private struct RunningScan {
        var started: ScanStarted
        var history: [ScanEvent] = []
        var subscribers: [UUID: AsyncStream<ScanEvent>.Continuation] = [:]
        var task: Task<ScanSummary, Never>?
    }

    public init(
        configuration: MonitorConfiguration, database: MonitorDatabase, source: any RemoteFolderSource,
        logFile: ScanLogFile?, logger: Logger
    ) {
        self.configuration = configuration
        self.outlets = OutletRepository(database: database)
        self.credentials = OutletCredentials(
            database: database, key: configuration.secretKey, defaultDomain: configuration.smbDomain)
        var engine = ScanEngine(
            source: source, records: RecordRepository(database: database),
            scans: ScanRepository(database: database),
            evaluator: BackupEvaluator(
                timeZone: configuration.timeZone, patterns: configuration.patterns,
                minimumBytes: configuration.minimumBackupBytes),
            concurrency: configuration.scanConcurrency, outletTimeout: configuration.outletTimeout, logger: logger)
        engine.concurrencyFloor = configuration.scanConcurrencyFloor
        self.engine = engine
        self.logFile = logFile
        self.logger = logger
    }

    /// Starts a scan, or joins the one running for the same mode.
    ///
    /// Throws before anything starts when the request cannot run: unknown outlet codes
    /// (`UnknownOutletsError`), missing credentials (`ConfigurationError`), or a database error.
    public func start(_ request: ScanRequest) async throws -> Subscription {
        if running[request.mode] != nil { return join(request.mode) }
        let targets: [Outlet]
        if let codes = request.outletCodes {
            targets = try await outlets.outlets(codes: codes)
        } else {
            targets = try await outlets.all(enabledOnly: true)
        }
        let overrides = try await credentials.accounts(mode: request.mode)
        let plans = try ScanPlanner(configuration: configuration).plans(
            for: targets, mode: request.mode, overrides: overrides)
        // The awaits above let another request in: if it started this mode meanwhile, join it.
        if running[request.mode] != nil { return join(request.mode) }

        let started = ScanStarted(
            scanID: UUID().uuidString.lowercased(), mode: request.mode, day: request.day, kind: request.kind,
            triggeredBy: request.triggeredBy, total: plans.count, startedAt: Date())
        running[request.mode] = RunningScan(started: started)
        let subscription = join(request.mode, joined: false)
        let engine = engine
        running[request.mode]?.task = Task {
            await engine.run(plans, started: started) { events in await self.publish(events, mode: request.mode) }
        }
        return subscription
    }

    /// Runs a scan (or joins the running one) and returns its summary: for the CLI and the scheduler.
    public func run(
        _ request: ScanRequest, onEvent: @Sendable (ScanEvent) async -> Void = { _ in }
    ) async throws -> ScanSummary {
        let subscription = try await start(request)
        for await event in subscription.events {
            await onEvent(event)
            if case .finished(let summary) = event { return summary }
        }
        throw CancellationError()
    }

    /// Registers `observer` for every scan that finishes from now on; callable from any context.
    public nonisolated func onScanFinished(_ observer: @escaping @Sendable (ScanSummary, ScanKind) -> Void) {
        finishObservers.withLock { $0.append(observer) }
    }

    /// The scan of `mode` that is running now, if any.
    public func runningScan(_ mode: ScanMode) -> ScanStarted? {
        running[mode]?.started
    }

    /// Follows the running scan with this id, its events replayed from the start; nil when no
    /// scan with this id is running (never starts one). For the scans API's event stream.
    public func follow(scanID: String) -> Subscription? {
        guard let mode = running.first(where: { $0.value.started.scanID == scanID })?.key else { return nil }
        return join(mode)
    }

    /// Waits for every running scan to end (used at shutdown after cancelling them).
    public func cancelAll() async {
        let tasks = running.values.compactMap(\.task)
        for task in tasks { task.cancel() }
        for task in tasks { _ = await task.value }
    }

    private func join(_ mode: ScanMode, joined: Bool = true) -> Subscription {
        let (stream, continuation) = AsyncStream<ScanEvent>.makeStream()
        let id = UUID()
        guard var scan = running[mode] else {
            continuation.finish()
            return Subscription(scanID: "", joined: joined, events: stream)
        }
        for event in scan.history { continuation.yield(event) }
        scan.subscribers[id] = continuation
        running[mode] = scan
        continuation.onTermination = { _ in Task { await self.unsubscribe(id, mode: mode) } }
        return Subscription(scanID: scan.started.scanID, joined: joined, events: stream)
    }

    private func unsubscribe(_ id: UUID, mode: ScanMode) {
        running[mode]?.subscribers[id] = nil
    }

    /// Logs and fans out `events` (in order) with one hop onto the coordinator and one log write.
    private func publish(_ events: [ScanEvent], mode: ScanMode) async {
        await logFile?.write(events)
        for event in events { publish(event, mode: mode) }
    }

    private func publish(_ event: ScanEvent, mode: ScanMode) {
        guard running[mode] != nil else { return }
        // Mutated in place: a copy of the scan would copy its whole history on every append.
        running[mode]?.history.append(event)
        guard let scan = running[mode] else { return }
        for continuation in scan.subscribers.values { continuation.yield(event) }
        if case .finished(let summary) = event {
            for observer in finishObservers.withLock({ $0 }) { observer(summary, scan.started.kind) }
            for continuation in scan.subscribers.values { continuation.finish() }
            running[mode] = nil
        }
    }
}

extension ScanCoordinator {
    /// The production wiring: outlets reached over SMB with the configured deadlines.
    public init(
        configuration: MonitorConfiguration, database: MonitorDatabase, logFile: ScanLogFile?, logger: Logger
    ) {
        self.init(
            configuration: configuration, database: database,
            source: SMBFolderSource(
                connectTimeout: configuration.connectTimeout, requestTimeout: configuration.requestTimeout),
            logFile: logFile, logger: logger)
    }
}
