import Foundation
import Logging
import ServiceLifecycle

/// Runs scheduled scans (SPEC §6): each mode at its configured local times, then re-scans of
/// the outlets still failing every `RETRY_INTERVAL_MINUTES` until `RETRY_UNTIL`, with one
/// notification per scan (SPEC §12). A `Service` of the server's ServiceGroup; one loop per mode,
/// so a long D-Drive scan never delays the IBSTORAGE slot.
///
/// State lives in `scheduled_runs`, so a restart neither repeats a slot nor forgets re-scans;
/// see `ScheduleSettings` for the catch-up rule. A slot that comes while a scan of its mode is
/// already going (started from the dashboard or the API) is recorded as `skipped`, not queued:
/// the running scan covers the same outlets, and the re-scans pick up what it leaves failing.
public struct ScanScheduler: Service {
    /// What the loop does next for one mode.
    public struct Action: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            case slot(LocalTime)
            case retry(number: Int)
            /// A slot found past its catch-up deadline: recorded as missed, not run.
            case missed(LocalTime)
        }

        public var mode: ScanMode
        public var day: CalendarDay
        public var kind: Kind
        public var due: Date

        public var slotName: String {
            switch kind {
            case .slot(let time), .missed(let time): time.description
            case .retry(let number): ScheduledRunRepository.retryPrefix + "\(number)"
            }
        }
    }

    public let settings: ScheduleSettings
    let coordinator: ScanCoordinator
    let runs: ScheduledRunRepository
    let records: RecordRepository
    let outlets: OutletRepository
    let notifier: WebhookNotifier?
    let clock: any SchedulerClock
    let logger: Logger
    /// Longest single sleep: the loop re-reads the database at least this often.
    let maximumSleep: TimeInterval

    public init(
        settings: ScheduleSettings, coordinator: ScanCoordinator, database: MonitorDatabase,
        notifier: WebhookNotifier?, clock: any SchedulerClock = SystemSchedulerClock(),
        maximumSleep: TimeInterval = 3600, logger: Logger
    ) {
        self.settings = settings
        self.coordinator = coordinator
        self.runs = ScheduledRunRepository(database: database)
        self.records = RecordRepository(database: database)
        self.outlets = OutletRepository(database: database)
        self.notifier = notifier
        self.clock = clock
        self.maximumSleep = maximumSleep
        self.logger = logger
    }

    public func run() async throws {
        let modes = settings.scheduledModes
        guard !modes.isEmpty else {
            logger.info("no scheduled scans (SCHEDULE_DDRIVE and SCHEDULE_IBSTORAGE are empty)")
            try? await gracefulShutdown()
            return
        }
        for mode in modes {
            logger.info(
                "scheduled scans",
                metadata: [
                    "mode": "\(mode.rawValue)",
                    "times": "\((settings.times[mode] ?? []).map(\.description).joined(separator: ","))",
                    "retry_minutes": "\(settings.retryInterval.map { "\($0.components.seconds / 60)" } ?? "off")",
                    "retry_until": "\(settings.retryUntil?.description ?? "end of day")",
                ])
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for mode in modes { group.addTask { await loop(mode) } }
            }
        }
    }

    private func loop(_ mode: ScanMode) async {
        while !Task.isCancelled {
            let now = clock.now()
            do {
                let action = try await nextAction(mode, now: now)
                if let action, action.due <= now {
                    try await perform(action, now: now)
                } else {
                    let wake = min(action?.due ?? .distantFuture, now.addingTimeInterval(maximumSleep))
                    try await clock.sleep(until: wake)
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("scheduler step failed", metadata: ["mode": "\(mode.rawValue)", "error": "\(error)"])
                do { try await clock.sleep(until: now.addingTimeInterval(60)) } catch { return }
            }
        }
    }

    /// The next thing due for `mode` at or after `now`'s day (possibly already due).
    public func nextAction(_ mode: ScanMode, now: Date) async throws -> Action? {
        let timeZone = settings.timeZone
        let times = settings.times[mode] ?? []
        guard let firstTime = times.first else { return nil }
        let day = CalendarDay(containing: now, in: timeZone)
        let today = try await runs.runs(mode: mode, day: day)
        let taken = Set(today.map(\.slot))
        var candidates: [Action] = []
        for time in times where !taken.contains(time.description) {
            let due = day.instant(of: time, in: timeZone)
            if due <= now, now >= settings.catchUpDeadline(time, on: day) {
                candidates.append(Action(mode: mode, day: day, kind: .missed(time), due: now))
            } else {
                candidates.append(Action(mode: mode, day: day, kind: .slot(time), due: due))
            }
        }
        if let retry = try await nextRetry(mode, day: day, runs: today) { candidates.append(retry) }
        let tomorrow = day.adding(days: 1)
        candidates.append(
            Action(
                mode: mode, day: tomorrow, kind: .slot(firstTime), due: tomorrow.instant(of: firstTime, in: timeZone)))
        return candidates.min { $0.due < $1.due }
    }

    /// A re-scan is due `RETRY_INTERVAL_MINUTES` after the day's last attempt ended, when it
    /// falls before the cut-off and some enabled outlet still lacks a good record for the day.
    private func nextRetry(_ mode: ScanMode, day: CalendarDay, runs today: [ScheduledRun]) async throws -> Action? {
        guard let interval = settings.retryInterval else { return nil }
        let attempts = today.filter { $0.state != .missed }
        guard let last = attempts.map({ $0.finishedAt ?? $0.startedAt }).max() else { return nil }
        let due = last.addingTimeInterval(TimeInterval(interval.components.seconds))
        guard due < settings.cutoff(on: day) else { return nil }
        guard !(try await failingOutlets(mode, day: day)).isEmpty else { return nil }
        let number = today.filter(\.isRetry).count + 1
        return Action(mode: mode, day: day, kind: .retry(number: number), due: due)
    }

    /// Enabled outlets without a successful record for the day: failed, or never reached
    /// (a scan interrupted by a restart).
    func failingOutlets(_ mode: ScanMode, day: CalendarDay) async throws -> [String] {
        let good = try await records.recordsByOutlet(mode: mode, day: day).filter { $0.value.status == .success }
        return try await outlets.all(enabledOnly: true).map(\.code).filter { good[$0] == nil }.sorted()
    }

    func perform(_ action: Action, now: Date) async throws {
        let mode = action.mode
        let slot = action.slotName
        var metadata: Logger.Metadata = ["mode": "\(mode.rawValue)", "slot": "\(slot)", "day": "\(action.day)"]
        if case .missed = action.kind {
            if try await runs.claim(
                mode: mode, day: action.day, slot: slot, state: .missed,
                detail: "the server was not running at \(slot) and the catch-up deadline has passed", at: now)
            {
                logger.warning("scheduled scan missed while the server was down", metadata: metadata)
            }
            return
        }
        var codes: [String]?
        if case .retry = action.kind {
            codes = try await failingOutlets(mode, day: action.day)
            guard codes?.isEmpty == false else { return }
        }
        guard try await runs.claim(mode: mode, day: action.day, slot: slot, state: .running, at: now) else {
            return
        }
        if let running = await coordinator.runningScan(mode) {
            metadata["running_scan"] = "\(running.scanID)"
            logger.notice("scheduled scan skipped: a scan of this mode is already running", metadata: metadata)
            try await runs.finish(
                mode: mode, day: action.day, slot: slot, state: .skipped, summary: nil, targets: nil,
                detail: "scan \(running.scanID) (\(running.kind.rawValue)) was already running", at: clock.now())
            return
        }
        // What the scan will replace: earlier today, else yesterday (the notification's "before").
        var previous = try await records.recordsByOutlet(mode: mode, day: action.day.adding(days: -1))
        previous.merge(try await records.recordsByOutlet(mode: mode, day: action.day)) { _, today in today }
        let isRetry = codes != nil
        logger.info(isRetry ? "scheduled re-scan starting" : "scheduled scan starting", metadata: metadata)
        let summary: ScanSummary
        do {
            summary = try await coordinator.run(
                ScanRequest(
                    mode: mode, day: action.day, outletCodes: codes, kind: .scheduled,
                    triggeredBy: isRetry ? "scheduler (\(slot))" : "scheduler (\(slot))"))
        } catch is CancellationError {
            // Shutdown: the row stays `running`; the next start re-scans what is missing.
            throw CancellationError()
        } catch {
            metadata["error"] = "\(error)"
            logger.error("scheduled scan could not run", metadata: metadata)
            try await runs.finish(
                mode: mode, day: action.day, slot: slot, state: .failed, summary: nil, targets: codes?.count,
                detail: "\(error)", at: clock.now())
            return
        }
        try await runs.finish(
            mode: mode, day: action.day, slot: slot, state: .finished, summary: summary,
            targets: summary.records.count, detail: nil, at: clock.now())
        metadata["scan_id"] = "\(summary.scanID)"
        metadata["failed"] = "\(summary.failed)"
        logger.info("scheduled scan finished", metadata: metadata)
        let notification = ScanNotification(summary: summary, trigger: slot, isRetry: isRetry, previous: previous)
        if let notifier, !notifier.targets.isEmpty, notification.isWorthSending {
            await notifier.deliver(notification)
        }
    }
}

extension ScanScheduler {
    /// One mode's schedule for Settings: its slots, what comes next, and today's attempts.
    public struct ModeOverview: Sendable {
        public var mode: ScanMode
        public var times: [LocalTime]
        public var next: Action?
        public var failingToday: Int
        public var today: [ScheduledRun]
    }

    public func overview(now: Date) async throws -> [ModeOverview] {
        var result: [ModeOverview] = []
        for mode in ScanMode.allCases {
            let day = CalendarDay(containing: now, in: settings.timeZone)
            let today = try await runs.runs(mode: mode, day: day)
            let times = settings.times[mode] ?? []
            result.append(
                ModeOverview(
                    mode: mode, times: times, next: try await nextAction(mode, now: now),
                    failingToday: today.isEmpty ? 0 : try await failingOutlets(mode, day: day).count, today: today))
        }
        return result
    }
}
