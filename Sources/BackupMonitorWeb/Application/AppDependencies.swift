import BackupMonitor
import Foundation
import Logging

/// Everything the controllers use, built once by `serve` (or a test) and passed to `buildRouter`.
public struct AppDependencies: Sendable {
    public var configuration: MonitorConfiguration
    public var settings: WebSettings
    public var database: MonitorDatabase
    public var coordinator: ScanCoordinator
    public var passwordHasher: PasswordHasher
    public var loginLimiter: LoginRateLimiter
    public var logger: Logger
    /// Seconds between SSE keep-alive comments (proxies drop idle streams).
    public var keepAliveInterval: Duration
    /// Prometheus registry and scan counters of this application (`/metrics`).
    public var metrics: MonitorMetrics
    /// Webhooks of `NOTIFY_WEBHOOKS`, for the scheduler and the Settings test button.
    public var notifier: WebhookNotifier
    /// Scheduled scans (a Service of the application) and the schedule shown in Settings.
    public var scheduler: ScanScheduler
    /// Per-outlet SMB credentials, sealed under `SECRET_KEY` or `SECRET_KEY_FILE`.
    public var credentials: OutletCredentials

    public var outlets: OutletRepository { OutletRepository(database: database) }
    public var records: RecordRepository { RecordRepository(database: database) }
    public var scans: ScanRepository { ScanRepository(database: database) }
    public var users: UserRepository { UserRepository(database: database) }
    public var sessions: SessionRepository { SessionRepository(database: database) }
    public var tokens: ApiTokenRepository { ApiTokenRepository(database: database) }

    public init(
        configuration: MonitorConfiguration, database: MonitorDatabase, coordinator: ScanCoordinator,
        passwordHasher: PasswordHasher = PasswordHasher(), loginLimiter: LoginRateLimiter = LoginRateLimiter(),
        keepAliveInterval: Duration = .seconds(15), schedulerClock: any SchedulerClock = SystemSchedulerClock(),
        webhookTransport: any WebhookTransport = HTTPClientWebhookTransport(), logger: Logger
    ) throws {
        self.configuration = configuration
        self.settings = try WebSettings(configuration: configuration)
        self.database = database
        self.coordinator = coordinator
        self.passwordHasher = passwordHasher
        self.loginLimiter = loginLimiter
        self.keepAliveInterval = keepAliveInterval
        self.logger = logger
        self.credentials = OutletCredentials(
            database: database, key: configuration.secretKey, defaultDomain: configuration.smbDomain)
        let metrics = MonitorMetrics()
        self.metrics = metrics
        // Scans of this process are counted as they end, from their own results; the scrape
        // only absorbs scans it did not see (another process's, such as the CLI's).
        coordinator.onScanFinished { summary, kind in metrics.record(summary, kind: kind) }
        let notifier = WebhookNotifier(
            configuration: configuration, database: database, transport: webhookTransport, logger: logger)
        self.notifier = notifier
        self.scheduler = ScanScheduler(
            settings: ScheduleSettings(configuration: configuration), coordinator: coordinator, database: database,
            notifier: notifier, clock: schedulerClock, logger: logger)
    }

    /// The use cases every front-end calls (the API, the pages; the CLI builds its own).
    public var outletAdministration: OutletAdministration {
        OutletAdministration(database: database, credentials: credentials)
    }
    public var userAdministration: UserAdministration {
        UserAdministration(database: database, hasher: passwordHasher)
    }
    public var tokenIssuer: TokenIssuer { TokenIssuer(database: database) }
    public var scanRequests: ScanRequests {
        ScanRequests(coordinator: coordinator, database: database, timeZone: configuration.timeZone)
    }

    /// Today in the monitor's time zone: the default scan date.
    public var today: CalendarDay { scanRequests.today }
}
