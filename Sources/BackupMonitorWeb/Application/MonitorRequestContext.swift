import BackupMonitor
import Hummingbird

/// The per-request context: who is calling (set by `AuthenticationMiddleware`) and from where.
public struct MonitorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user or API token; nil for anonymous calls.
    public var principal: Principal?
    /// Why a presented credential was refused, for the 401 message.
    public var credentialProblem: String?
    /// A session cookie came with a write but without its CSRF token.
    public var csrfRejected = false
    /// The peer's IP address (the rate limiter's key); nil in router tests.
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// CSV imports of a few thousand outlets fit well inside this.
    public var maxUploadSize: Int { 4 * 1024 * 1024 }
}
