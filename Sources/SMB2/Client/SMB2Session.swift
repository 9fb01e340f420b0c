import Logging
import NIOCore

/// An authenticated SMB2/3 session on one connection. Obtained from
/// ``SMB2Client/withSession(host:port:credentials:afterConnect:isolation:_:)``; valid only inside that closure.
public final class SMB2Session: Sendable {
    /// Dialect, signing and encryption agreed for this session.
    public let negotiated: SMB2NegotiatedParameters
    /// The host name as dialled (used in tree paths `\\host\share`).
    public let host: String

    let channel: any Channel
    let configuration: SMB2ClientConfiguration
    let gauge: SMB2FlowGauge
    let logger: Logger

    init(
        channel: any Channel, host: String, negotiated: SMB2NegotiatedParameters,
        configuration: SMB2ClientConfiguration, gauge: SMB2FlowGauge, logger: Logger
    ) {
        self.channel = channel
        self.host = host
        self.negotiated = negotiated
        self.configuration = configuration
        self.gauge = gauge
        self.logger = logger
    }

    /// Connects to `share` (for example `d$`), runs `body`, and disconnects the tree.
    public func withTree<T>(
        _ share: String, isolation: isolated (any Actor)? = #isolation, _ body: (SMB2Tree) async throws -> T
    ) async throws -> T {
        let tree = try await connectTree(share)
        do {
            let result = try await body(tree)
            tree.disconnect()
            return result
        } catch {
            tree.disconnect()
            throw error
        }
    }

    /// Lists `path` (folder names separated by `/` or `\`, relative to the share root) of
    /// `share`, without "." and "..".
    public func listDirectory(share: String, path: String, pattern: String = "*") async throws
        -> [SMB2DirectoryEntry]
    {
        if let entries = try await listInOneRoundTrip(share: share, path: path, pattern: pattern) {
            return entries
        }
        return try await listStepByStep(share: share, path: path, pattern: pattern)
    }

    /// Tree connect, then the listing, then tree disconnect, each its own round trip: for shares
    /// a one-round-trip chain cannot serve (encryption required, folders too big for it).
    func listStepByStep(share: String, path: String, pattern: String) async throws -> [SMB2DirectoryEntry] {
        let tree = try await connectTree(share)
        do {
            let entries = try await tree.listDirectory(path, pattern: pattern)
            tree.disconnect()
            return entries
        } catch {
            tree.disconnect()
            throw error
        }
    }

    private func connectTree(_ share: String) async throws -> SMB2Tree {
        let path = "\\\\\(host)\\\(share)"
        let request = SMB2Request(command: .treeConnect, encodeBody: SMB2TreeConnectRequest(path: path).encode(into:))
        let response = try await send([request])[0]
        try response.expectStatus(.success, context: "TREE_CONNECT \(path)")
        let body = try SMB2TreeConnectResponse.decode(from: response.message)
        return SMB2Tree(
            session: self, share: share, treeID: response.header.treeID,
            isEncrypted: negotiated.sessionEncrypted || body.shareFlags.contains(.encryptData))
    }

    /// Sends one request or a compound chain; the future completes with all final responses
    /// (or fails when the connection fails or the request times out).
    func post(_ requests: [SMB2Request], related: Bool = false) -> EventLoopFuture<[SMB2Response]> {
        let promise = channel.eventLoop.makePromise(of: [SMB2Response].self)
        channel.writeAndFlush(SMB2HandlerCommand.submit(requests, related: related, promise)).whenFailure { error in
            promise.fail(SMB2Error.protocolError("connection lost: \(error)"))
        }
        return promise.futureResult
    }

    /// Sends one request or a compound chain and waits for all final responses.
    func send(_ requests: [SMB2Request], related: Bool = false) async throws -> [SMB2Response] {
        let responses = try await post(requests, related: related).get()
        guard responses.count == requests.count else {
            throw SMB2Error.protocolError("expected \(requests.count) responses, got \(responses.count)")
        }
        return responses
    }

    /// LOGOFF ([MS-SMB2] 3.2.4.23), then close the connection without waiting for the answer.
    ///
    /// The LOGOFF is written to the socket before the close (both run in order on the channel's
    /// event loop), so the server reads it and ends the session at once; closing the connection
    /// would end it too ([MS-SMB2] 3.3.7.1), only later. Its answer carries nothing we need:
    /// awaiting it cost a round trip, a wake-up and a signature check per outlet. If the answer
    /// arrives after the close, the server gets a reset instead, which smbd and Windows handle
    /// like any client that went away.
    func logoffAndClose() async {
        guard channel.isActive else { return }
        let logger = logger
        post([SMB2Request(command: .logoff, encodeBody: SMB2EmptyBody.encode(into:))]).whenFailure { error in
            // Fails by design when the close below overtakes the answer.
            logger.trace("LOGOFF unanswered", metadata: ["smb2_error": "\(error)"])
        }
        try? await channel.close()
    }
}
