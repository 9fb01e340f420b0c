import Logging
import NIOCore
import Synchronization

/// What the async layer asks of the channel handler (written into the pipeline, like
/// postgres-nio's tasks).
enum SMB2HandlerCommand: Sendable {
    /// NEGOTIATE and SESSION_SETUP until the session is authenticated.
    case establish(EventLoopPromise<SMB2NegotiatedParameters>)
    /// One request or a related compound chain; the promise gets the final responses in order.
    case submit([SMB2Request], related: Bool, EventLoopPromise<[SMB2Response]>)
}

/// Credits and capabilities the async layer reads to size requests (updated on the event loop).
final class SMB2FlowGauge: Sendable {
    private let state = Mutex<(credits: Int, multiCredit: Bool)>((1, false))

    var credits: Int { state.withLock { $0.credits } }
    var multiCredit: Bool { state.withLock { $0.multiCredit } }

    func update(credits: Int, multiCredit: Bool) {
        state.withLock { $0 = (credits, multiCredit) }
    }
}

/// The thin I/O shell around ``SMB2ConnectionStateMachine``: it feeds frames and commands to the
/// state machine and executes the actions it returns. It also owns the deadlines: every
/// request has `requestTimeout`; on a timeout, a protocol error or the loss of the connection
/// every waiter fails and the channel closes, so nothing waits forever and nothing leaks.
final class SMB2ChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMB2HandlerCommand
    typealias OutboundOut = ByteBuffer

    private struct Waiter {
        var promise: EventLoopPromise<[SMB2Response]>
        var expected: Int
        var responses: [SMB2Response] = []
        var timeout: Scheduled<Void>?
        var extensions = 0
    }

    /// How often STATUS_PENDING may renew a request's deadline.
    static let maxDeadlineExtensions = 3

    private var state: SMB2ConnectionStateMachine
    private let requestTimeout: TimeAmount
    private let gauge: SMB2FlowGauge
    private let logger: Logger
    private var establishPromise: EventLoopPromise<SMB2NegotiatedParameters>?
    private var establishTimeout: Scheduled<Void>?
    private var waiters: [UInt64: Waiter] = [:]
    private var nextToken: UInt64 = 1
    private var failure: SMB2Error?
    private var receivedAnything = false

    init(
        configuration: SMB2ConnectionStateMachine.Configuration, requestTimeout: TimeAmount, gauge: SMB2FlowGauge,
        logger: Logger
    ) {
        state = SMB2ConnectionStateMachine(configuration: configuration)
        self.requestTimeout = requestTimeout
        self.gauge = gauge
        self.logger = logger
    }

    // MARK: Outbound commands

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = unwrapOutboundIn(data)
        promise?.succeed()
        if let failure {
            fail(command, with: failure)
            return
        }
        switch command {
        case .establish(let establish):
            guard establishPromise == nil else {
                establish.fail(SMB2Error.protocolError("session establishment started twice"))
                return
            }
            establishPromise = establish
            establishTimeout = scheduleTimeout(context: context, what: "session setup")
            if let actions = perform({ try state.connected() }) {
                execute(actions, context: context)
            } else if let failure {
                failAll(failure, context: context)
            }
        case .submit(let requests, let related, let submitPromise):
            let token = nextToken
            nextToken += 1
            logger.trace(
                "SMB2 request",
                metadata: ["smb2_commands": "\(requests.map(\.command.description).joined(separator: "+"))"])
            var waiter = Waiter(promise: submitPromise, expected: requests.count)
            waiter.timeout = scheduleTimeout(
                context: context, what: requests.map(\.command.description).joined(separator: "+"))
            waiters[token] = waiter
            if let actions = perform({ try state.submit(requests, related: related, token: token) }) {
                execute(actions, context: context)
            } else if let failure {
                failAll(failure, context: context)
            }
        }
    }

    /// Runs a state-machine step; a thrown error becomes the connection's failure.
    private func perform(_ step: () throws -> [SMB2ConnectionStateMachine.Action]) -> [SMB2ConnectionStateMachine
        .Action]?
    {
        do {
            return try step()
        } catch let error as SMB2Error {
            failure = error
        } catch {
            failure = .protocolError("\(error)")
        }
        return nil
    }

    private func fail(_ command: SMB2HandlerCommand, with error: SMB2Error) {
        switch command {
        case .establish(let promise): promise.fail(error)
        case .submit(_, _, let promise): promise.fail(error)
        }
    }

    // MARK: Inbound frames

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        receivedAnything = true
        guard failure == nil else { return }
        if let actions = perform({ try state.received(frame) }) {
            execute(actions, context: context)
        } else if let failure {
            failAll(failure, context: context)
        }
    }

    private func execute(_ actions: [SMB2ConnectionStateMachine.Action], context: ChannelHandlerContext) {
        gauge.update(credits: state.availableCredits, multiCredit: state.supportsMultiCredit)
        var wrote = false
        for action in actions {
            switch action {
            case .send(let frame, _):
                context.write(wrapOutboundOut(frame), promise: nil)
                wrote = true
            case .established(let parameters):
                establishTimeout?.cancel()
                establishTimeout = nil
                logger.debug("SMB2 session established", metadata: ["smb2_negotiated": "\(parameters)"])
                establishPromise?.succeed(parameters)
                establishPromise = nil
            case .deliver(let response, let token):
                logger.trace(
                    "SMB2 response",
                    metadata: [
                        "smb2_command": "\(response.header.command)", "smb2_status": "\(response.header.status)",
                    ])
                guard var waiter = waiters[token] else { continue }
                waiter.responses.append(response)
                if waiter.responses.count == waiter.expected {
                    waiter.timeout?.cancel()
                    waiters[token] = nil
                    waiter.promise.succeed(waiter.responses.sorted { $0.header.messageID < $1.header.messageID })
                } else {
                    waiters[token] = waiter
                }
            case .interim(_, let token):
                // The server is working on it (STATUS_PENDING): give it a fresh deadline, a few
                // times only, so a server answering nothing but STATUS_PENDING cannot hold us.
                guard var waiter = waiters[token], waiter.extensions < Self.maxDeadlineExtensions else { continue }
                waiter.extensions += 1
                waiter.timeout?.cancel()
                waiter.timeout = scheduleTimeout(context: context, what: "pending request")
                waiters[token] = waiter
            }
        }
        if wrote { context.flush() }
    }

    // MARK: Failure paths

    /// `what` names the request in the timeout's message; it is built only if the timeout fires,
    /// not for every request.
    private func scheduleTimeout(
        context: ChannelHandlerContext, what: @escaping @Sendable @autoclosure () -> String
    ) -> Scheduled<Void> {
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        return context.eventLoop.scheduleTask(in: requestTimeout) {
            bound.value.handler.timedOut(context: bound.value.context, what: what())
        }
    }

    private func timedOut(context: ChannelHandlerContext, what: String) {
        let seconds = Double(requestTimeout.nanoseconds) / 1e9
        failAll(SMB2Error(category: .timeout, message: "no answer to \(what) within \(seconds) s"), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let mapped = (error as? SMB2Error) ?? SMB2Error.protocolError("connection error: \(error)")
        failAll(mapped, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let error: SMB2Error
        if state.phase == .negotiating && !receivedAnything {
            // An SMB1-only server drops a connection whose first message is an SMB2 NEGOTIATE.
            error = .smb1Only
        } else {
            error = .protocolError("connection closed by the server")
        }
        failAll(failure ?? error, context: nil)
        state.closed()
        context.fireChannelInactive()
    }

    /// Fails every waiter once and closes the channel (when still open).
    private func failAll(_ error: SMB2Error, context: ChannelHandlerContext?) {
        if failure == nil { failure = error }
        let error = failure ?? error
        establishTimeout?.cancel()
        establishTimeout = nil
        establishPromise?.fail(error)
        establishPromise = nil
        let current = waiters
        waiters.removeAll()
        for waiter in current.values {
            waiter.timeout?.cancel()
            waiter.promise.fail(error)
        }
        state.closed()
        if let context, context.channel.isActive {
            logger.debug("closing SMB2 connection", metadata: ["smb2_error": "\(error)"])
            context.close(promise: nil)
        }
    }
}
