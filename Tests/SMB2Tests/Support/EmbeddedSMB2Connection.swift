import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import SMB2

/// An ``SMB2ChannelHandler`` alone on an `EmbeddedChannel` (frames in and out, no transport
/// prefix), with ``FakeServer`` answering it: the clock moves only when a test calls
/// `loop.advanceTime(by:)`, so deadlines are tested without waiting.
struct EmbeddedSMB2Connection {
    static let requestTimeout = TimeAmount.seconds(10)

    let loop = EmbeddedEventLoop()
    let channel: EmbeddedChannel
    let gauge = SMB2FlowGauge()
    var server: FakeServer

    /// A connected (active) channel; the session is not set up yet.
    init(dialect: SMB2Dialect = .smb311, grant: UInt16 = 32) throws {
        let handler = SMB2ChannelHandler(
            configuration: FakeServer.configuration(), requestTimeout: Self.requestTimeout, gauge: gauge,
            logger: Logger(label: "smb2-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        channel = EmbeddedChannel(handler: handler, loop: loop)
        server = FakeServer(dialect: dialect)
        server.grant = grant
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 445)).wait()
    }

    /// Starts session setup; the NEGOTIATE is then waiting in the outbound buffer.
    func startEstablishing() throws -> Outcome<SMB2NegotiatedParameters> {
        let promise = loop.makePromise(of: SMB2NegotiatedParameters.self)
        try channel.writeOutbound(SMB2HandlerCommand.establish(promise))
        return Outcome(promise.futureResult)
    }

    /// NEGOTIATE and SESSION_SETUP through the handler, answered by the fake server.
    @discardableResult
    mutating func establish() throws -> SMB2NegotiatedParameters {
        let outcome = try startEstablishing()
        try answerHandshake(negotiate: sent())
        return try #require(outcome.value)
    }

    /// The fake server answers every round of the handshake that `negotiate` starts.
    mutating func answerHandshake(negotiate: ByteBuffer) throws {
        let channel = self.channel
        try server.answerHandshake(negotiate: negotiate) { answer, isLast in
            try channel.writeInbound(answer)
            return isLast ? nil : try channel.readOutbound(as: ByteBuffer.self)
        }
    }

    /// Hands requests to the handler as the async layer does.
    func submit(_ requests: [SMB2Request], related: Bool = false) throws -> Outcome<[SMB2Response]> {
        let promise = loop.makePromise(of: [SMB2Response].self)
        try channel.writeOutbound(SMB2HandlerCommand.submit(requests, related: related, promise))
        return Outcome(promise.futureResult)
    }

    /// The next frame the handler wrote.
    func sent(sourceLocation: SourceLocation = #_sourceLocation) throws -> ByteBuffer {
        try #require(try channel.readOutbound(as: ByteBuffer.self), sourceLocation: sourceLocation)
    }

    /// The messages of the next frame the handler wrote (one, or each part of a compound).
    func sentMessages(sourceLocation: SourceLocation = #_sourceLocation) throws -> [ByteBuffer] {
        try SMB2ConnectionStateMachine.splitCompound(sent(sourceLocation: sourceLocation))
    }

    /// Whether the handler wrote nothing since the last read.
    func sentNothing() throws -> Bool {
        try channel.readOutbound(as: ByteBuffer.self) == nil
    }

    /// A frame from the server.
    func receive(_ frame: ByteBuffer) throws {
        try channel.writeInbound(frame)
    }
}

/// What became of a promise, read synchronously: on an `EmbeddedEventLoop` callbacks run as
/// soon as the promise completes.
final class Outcome<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)

    init(_ future: EventLoopFuture<Value>) {
        future.whenComplete { completed in self.result.withLock { $0 = completed } }
    }

    var isPending: Bool { result.withLock { $0 == nil } }

    var value: Value? {
        result.withLock { result in
            guard case .success(let value) = result else { return nil }
            return value
        }
    }

    /// The failure, when the promise failed with an ``SMB2Error``.
    var error: SMB2Error? {
        result.withLock { result in
            guard case .failure(let error) = result else { return nil }
            return error as? SMB2Error
        }
    }
}

extension FakeServer {
    /// A TREE_CONNECT request for `share`.
    static func treeConnect(_ share: String = "d$") -> SMB2Request {
        SMB2Request(
            command: .treeConnect, encodeBody: SMB2TreeConnectRequest(path: "\\\\host\\\(share)").encode(into:))
    }

    /// A signed TREE_CONNECT answer (tree 5) to `request`.
    func treeConnected(_ request: ByteBuffer, status: NTStatus = .success, credits: UInt16? = nil) throws
        -> ByteBuffer
    {
        try response(to: request, status: status, credits: credits, treeID: 5, sign: true) {
            if status == .success {
                SMB2TreeConnectResponse(shareType: 1, shareFlags: [], capabilities: 0, maximalAccess: 0x1F01FF)
                    .encode(into: &$0)
            } else {
                SMB2ErrorResponse(errorContextCount: 0, errorData: []).encode(into: &$0)
            }
        }
    }

    /// [MS-SMB2] 3.3.4.2: the interim STATUS_PENDING answer (async, unsigned) to `request`.
    func interim(_ request: ByteBuffer, credits: UInt16 = 1) throws -> ByteBuffer {
        try response(to: request, status: .pending, credits: credits, flags: .asyncCommand) {
            SMB2ErrorResponse(errorContextCount: 0, errorData: []).encode(into: &$0)
        }
    }

    /// [MS-SMB2] 3.3.4.1.3: several answers in one frame, each but the last padded to 8 bytes
    /// with its NextCommand set, and each signed again over its padding.
    func compound(_ responses: [ByteBuffer]) throws -> ByteBuffer {
        var frame = ByteBuffer()
        for (index, response) in responses.enumerated() {
            var part = response
            if index < responses.count - 1 {
                part.padTo(alignment: 8)
                part.setLE(UInt32(part.readableBytes), at: SMB2Header.nextCommandOffset)
            }
            if try SMB2Header.decode(from: part).flags.contains(.signed) { sign(&part) }
            frame.writeImmutableBuffer(part)
        }
        return frame
    }
}
