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

    public var outlets: OutletRepository { OutletRepository(database: database) }
    public var records: RecordRepository { RecordRepository(database: database) }
    public var scans: ScanRepository { ScanRepository(database: database) }
    public var users: UserRepository { UserRepository(database: database) }
    public var sessions: SessionRepository { SessionRepository(database: database) }
    public var tokens: ApiTokenRepository { ApiTokenRepository(database: database) }

    public init(
        configuration: MonitorConfiguration, database: MonitorDatabase, coordinator: ScanCoordinator,
        passwordHasher: PasswordHasher = PasswordHasher(), loginLimiter: LoginRateLimiter = LoginRateLimiter(),
        keepAliveInterval: Duration = .seconds(15), logger: Logger
    ) throws {
        self.configuration = configuration
        self.settings = try WebSettings(configuration: configuration)
        self.database = database
        self.coordinator = coordinator
        self.passwordHasher = passwordHasher
        self.loginLimiter = loginLimiter
        self.keepAliveInterval = keepAliveInterval
        self.logger = logger
    }

    /// Today in the monitor's time zone: the default scan date.
    public var today: CalendarDay { CalendarDay(containing: Date(), in: configuration.timeZone) }
}
