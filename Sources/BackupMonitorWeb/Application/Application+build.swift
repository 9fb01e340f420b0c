import BackupMonitor
import Hummingbird
import Logging
import ServiceLifecycle

/// Every endpoint of the API, in the order they are registered and documented.
public func apiEndpoints(_ dependencies: AppDependencies) -> [Endpoint] {
    var endpoints =
        LegacyScanController(dependencies: dependencies).endpoints
        + RecordsController(dependencies: dependencies).endpoints
        + OutletsController(dependencies: dependencies).endpoints
        + ScansController(dependencies: dependencies).endpoints
        + AuthController(dependencies: dependencies).endpoints
        + UsersController(dependencies: dependencies).endpoints
        + TokensController(dependencies: dependencies).endpoints
        + OperationsController(dependencies: dependencies).endpoints
    endpoints.append(OpenAPIEndpoint.endpoint(documenting: endpoints))
    return endpoints
}

/// The router: CORS outermost (so refusals carry CORS headers too), then JSON errors and
/// security headers, then authentication; each endpoint checks its own role.
public func buildRouter(_ dependencies: AppDependencies) -> Router<MonitorRequestContext> {
    buildRouter(dependencies, pageClock: .system)
}

/// The router with the pages reading `pageClock` (snapshot tests fix it).
func buildRouter(_ dependencies: AppDependencies, pageClock: PageClock) -> Router<MonitorRequestContext> {
    let router = Router(context: MonitorRequestContext.self)
    // Outermost, so every answer is counted with its final status, refusals included.
    router.add(middleware: HTTPMetricsMiddleware(metrics: dependencies.metrics))
    router.add(middleware: CORSPolicyMiddleware(origins: dependencies.settings.corsOrigins))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: AuthenticationMiddleware(dependencies: dependencies))
    router.register(apiEndpoints(dependencies))
    router.register(
        PagesController(dependencies: dependencies, clock: pageClock).routes, dependencies: dependencies,
        clock: pageClock)
    return router
}

/// The whole server: router, listen address, and the long-lived services that stop with it.
public func buildApplication(
    _ dependencies: AppDependencies, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> Application<RouterResponder<MonitorRequestContext>> {
    Application(
        router: buildRouter(dependencies),
        configuration: .init(
            address: .hostname(dependencies.configuration.listenHost, port: dependencies.configuration.listenPort),
            serverName: "backup-monitor"),
        services: [
            ScanShutdownService(coordinator: dependencies.coordinator, logger: dependencies.logger),
            SessionCleanupService(sessions: dependencies.sessions, logger: dependencies.logger),
            dependencies.scheduler,
        ],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: dependencies.logger)
}

/// Start-up work on the database before serving: scans a dead process left `running` become
/// `interrupted`, and a first start creates the `admin` user.
/// Returns the admin password when it was generated, for printing once.
public func prepareDatabase(_ dependencies: AppDependencies) async throws -> String? {
    try await dependencies.scans.markUnfinishedAsInterrupted()
    return try await AdminBootstrap.ensureAdmin(dependencies)
}

/// Lets running scans stop at shutdown: their finished outlets are already stored.
struct ScanShutdownService: Service {
    let coordinator: ScanCoordinator
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("stopping running scans")
        await coordinator.cancelAll()
    }
}

/// Removes expired sessions every hour.
struct SessionCleanupService: Service {
    let sessions: SessionRepository
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await sessions.deleteExpired()
                } catch {
                    logger.warning("could not remove expired sessions", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }
}
