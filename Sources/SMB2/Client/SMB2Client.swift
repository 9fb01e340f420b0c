import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Entry point of the SMB2/3 client: connects, authenticates, and hands a session to a closure
/// that may open trees and list folders. The connection is always logged off and closed when
/// the closure returns or throws, or when the calling task is cancelled.
///
/// ```swift
/// let files = try await SMB2Client.shared.withSession(host: "10.1.2.3", credentials: creds) {
///   try await $0.listDirectory(share: "d$", path: "BackupFull")
/// }
/// ```
public final class SMB2Client: Sendable {
    /// A client on `MultiThreadedEventLoopGroup.singleton` with the default configuration.
    public static let shared = SMB2Client()

    public let configuration: SMB2ClientConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    /// Connections of this client whose channel is not closed yet (tests check for leaks).
    private let openChannels = Mutex(0)

    /// How many connections of this client are still open; zero whenever no session runs.
    var openConnectionCount: Int { openChannels.withLock { $0 } }

    /// Borrows `eventLoopGroup` (it is never shut down by the client).
    public init(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        configuration: SMB2ClientConfiguration = .init(),
        logger: Logger = Logger(label: "smb2", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.eventLoopGroup = eventLoopGroup
        self.configuration = configuration
        self.logger = logger
    }

    /// Connects to `host:port`, negotiates, authenticates with NTLMv2 and runs `body`.
    ///
    /// Errors are ``SMB2Error``s: `unreachable` for connect failures, `auth` for refused
    /// credentials, `timeout` for a server that stops answering, `protocolError` for anything
    /// malformed or unsupported (including SMB1-only servers).
    ///
    /// `afterConnect` runs once the TCP connection is up and before anything is sent: a caller
    /// that limits sessions waits for its turn there, so connect timeouts of dead hosts run
    /// outside that limit. If it throws, the connection is closed and the error rethrown.
    public func withSession<T>(
        host: String, port: Int = 445, credentials: SMB2Credentials,
        afterConnect: (@Sendable () async throws -> Void)? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (SMB2Session) async throws -> T
    ) async throws -> T {
        guard !Task.isCancelled else { throw SMB2Error.cancelledByTask }
        var logger = self.logger
        logger[metadataKey: "smb2_host"] = "\(host):\(port)"
        let gauge = SMB2FlowGauge()
        // The session's task runs on its channel's event loop (unless the caller is isolated to
        // an actor): no thread hop per request.
        let eventLoop = eventLoopGroup.any()
        return try await withTaskExecutorPreference(SMB2TaskExecutor(eventLoop)) {
            let channel = try await connect(
                host: host, port: port, credentials: credentials, gauge: gauge, eventLoop: eventLoop, logger: logger)
            if let afterConnect {
                do {
                    try await afterConnect()
                } catch {
                    try? await channel.close()
                    throw Task.isCancelled ? SMB2Error.cancelledByTask : error
                }
            }
            return try await run(body, on: channel, host: host, gauge: gauge, logger: logger)
        }
    }

    /// An executor on one of this client's event loops (round robin): tasks started on it run
    /// their sessions without a thread hop (see ``SMB2TaskExecutor``).
    public func makeTaskExecutor() -> SMB2TaskExecutor {
        SMB2TaskExecutor(eventLoopGroup.next())
    }

    private func run<T>(
        _ body: (SMB2Session) async throws -> T, on channel: any Channel, host: String, gauge: SMB2FlowGauge,
        logger: Logger, isolation: isolated (any Actor)? = #isolation
    ) async throws -> T {
        try await withTaskCancellationHandler {
            let session: SMB2Session
            do {
                let negotiated = try await Self.establish(channel)
                session = SMB2Session(
                    channel: channel, host: host, negotiated: negotiated, configuration: configuration, gauge: gauge,
                    logger: logger)
            } catch {
                try? await channel.close()
                throw Task.isCancelled ? SMB2Error.cancelledByTask : error
            }
            do {
                let result = try await body(session)
                await session.logoffAndClose()
                return result
            } catch {
                // The body failed (a missing folder, say): the session is still good, so log off
                // politely unless the connection is already gone or the task was cancelled.
                if Task.isCancelled {
                    try? await channel.close()
                    throw SMB2Error.cancelledByTask
                }
                await session.logoffAndClose()
                throw error
            }
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    private static func establish(_ channel: any Channel) async throws -> SMB2NegotiatedParameters {
        let promise = channel.eventLoop.makePromise(of: SMB2NegotiatedParameters.self)
        channel.writeAndFlush(SMB2HandlerCommand.establish(promise)).whenFailure { error in
            promise.fail(SMB2Error.protocolError("connection lost before NEGOTIATE: \(error)"))
        }
        return try await promise.futureResult.get()
    }

    private func connect(
        host: String, port: Int, credentials: SMB2Credentials, gauge: SMB2FlowGauge, eventLoop: any EventLoop,
        logger: Logger
    ) async throws -> any Channel {
        let configuration = self.configuration
        var settings = SMB2ConnectionStateMachine.Configuration(credentials: credentials)
        settings.dialects = configuration.dialects
        settings.alwaysSign = configuration.signingPolicy == .always
        settings.signingAlgorithms = configuration.signingAlgorithms
        settings.ciphers = configuration.ciphers
        settings.workstation = configuration.workstation
        let machineConfiguration = settings
        let requestTimeout = TimeAmount.from(configuration.requestTimeout)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount.from(configuration.connectTimeout))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers: [any ChannelHandler] = [
                        ByteToMessageHandler(SMB2FrameDecoder(maxFrameSize: configuration.maxFrameSize)),
                        MessageToByteHandler(SMB2FrameEncoder()),
                        SMB2ChannelHandler(
                            configuration: machineConfiguration, requestTimeout: requestTimeout, gauge: gauge,
                            logger: logger),
                    ]
                    try channel.pipeline.syncOperations.addHandlers(handlers)
                }
            }
        do {
            let channel: any Channel
            if let address = try? SocketAddress(ipAddress: host, port: port) {
                // An address literal (what most outlet lists hold) needs no resolver: NIO's
                // getaddrinfo path costs a thread-pool hop per connection.
                channel = try await bootstrap.connect(to: address).get()
            } else {
                channel = try await bootstrap.connect(host: host, port: port).get()
            }
            openChannels.withLock { $0 += 1 }
            channel.closeFuture.whenComplete { _ in self.openChannels.withLock { $0 -= 1 } }
            return channel
        } catch {
            throw SMB2Error.unreachable(host: host, port: port, error: error)
        }
    }
}

extension SMB2Error {
    static let cancelledByTask = SMB2Error(category: .cancelled, message: "the calling task was cancelled")

    /// Connect failures: refused, no route, unresolvable name, connect timeout.
    static func unreachable(host: String, port: Int, error: any Error) -> SMB2Error {
        let reason: String
        var timedOut = false
        switch error {
        case ChannelError.connectTimeout(let amount):
            reason = "connect timeout after \(Double(amount.nanoseconds) / 1e9) s"
            timedOut = true
        case let error as NIOConnectionError:
            if let dns = error.dnsAError ?? error.dnsAAAAError {
                reason = "name not resolved (\(dns))"
            } else if let first = error.connectionErrors.first {
                reason = reasonText(first.error)
            } else {
                reason = "name not resolved"
            }
        case let error as IOError:
            reason = reasonText(error)
            timedOut = error.errnoCode == ETIMEDOUT
        default:
            reason = "\(error)"
        }
        return SMB2Error(
            category: .unreachable, message: "cannot connect to \(host):\(port): \(reason)", connectTimedOut: timedOut)
    }

    /// A socket error as the words a person reads: NIO's `IOError` description ("connection reset
    /// (error set): Connection refused) (errno: 111)") names the call, not what happened.
    private static func reasonText(_ error: any Error) -> String {
        guard let error = error as? IOError else { return "\(error)" }
        switch error.errnoCode {
        case ECONNREFUSED: return "connection refused (nothing answers on that port)"
        case ETIMEDOUT: return "the connection timed out"
        case EHOSTUNREACH: return "no route to the host"
        case ENETUNREACH: return "the network is unreachable"
        case ECONNRESET: return "the connection was reset"
        default: return String(cString: strerror(error.errnoCode)).lowercased()
        }
    }
}

extension TimeAmount {
    static func from(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
