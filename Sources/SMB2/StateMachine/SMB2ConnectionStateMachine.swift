import NIOCore

/// The connection and session logic of the client as a pure value type: events in (frames
/// received, requests submitted), actions out (frames to send, responses to deliver). It does
/// no I/O and knows no event loop, so every rule below is tested without a network
/// (the postgres-nio / swift-nio-ssh layering).
///
/// It tracks the phase (negotiate → session setup rounds → authenticated), message ids and
/// credits ([MS-SMB2] 3.2.4.1.5, 3.2.5.1.4), the SMB 3.1.1 preauth integrity hash
/// (3.2.5.2, 3.2.5.3.1), session keys (3.2.5.3.1), request signing and response verification
/// (3.1.4.1, 3.2.5.1.3), encryption (3.1.4.3, 3.2.5.1.1.1) and interim responses (3.2.5.1.5).
struct SMB2ConnectionStateMachine {
    struct Configuration: Sendable {
        var dialects: [SMB2Dialect] = SMB2Dialect.all
        var credentials: SMB2Credentials
        /// Sign every request even when neither side requires it (recommended; SMB 3.x always
        /// signs because servers refuse unsigned 3.x trees in practice).
        var alwaysSign: Bool = true
        var signingAlgorithms: [SMB2SigningAlgorithm] = [.aesGMAC, .aesCMAC, .hmacSHA256]
        var ciphers: [SMB2EncryptionCipher] = [.aes128GCM, .aes128CCM]
        var workstation: String = ""
        /// Source of random bytes (client GUID, salt, NTLM challenge/key, nonces); injectable so
        /// tests are reproducible.
        var randomBytes: @Sendable (Int) -> [UInt8] = { count in
            // Eight bytes per draw: each draw of the system generator is a getrandom(2) call.
            var generator = SystemRandomNumberGenerator()
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count + 8)
            while bytes.count < count {
                withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
            }
            bytes.removeLast(bytes.count - count)
            return bytes
        }
        /// The current time as a FILETIME, for NTLM when the server sends no timestamp.
        var currentTime: @Sendable () -> UInt64 = {
            SMB2FileTime(date: .now).raw
        }
    }

    enum Phase: Equatable, Sendable {
        case idle
        case negotiating
        case sessionSetup
        case authenticated
        case closed
    }

    /// What the I/O layer must do.
    enum Action: Sendable {
        /// Write this frame (an SMB2 message, compound chain or TRANSFORM_HEADER; the channel adds
        /// the 4-byte transport length). `token` names the submission it carries, if any.
        case send(ByteBuffer, token: UInt64?)
        /// The session is authenticated; user requests may follow.
        case established(SMB2NegotiatedParameters)
        /// A final response to a user request.
        case deliver(SMB2Response, token: UInt64)
        /// The server answered STATUS_PENDING; the final answer comes later.
        case interim(messageID: UInt64, token: UInt64)
    }

    /// What is remembered of a request on the wire until its final response arrives.
    struct Outstanding: Sendable {
        var command: SMB2Command
        var token: UInt64?
        var signed: Bool
        var encrypted: Bool
    }

    private struct Queued {
        var requests: [SMB2Request]
        var related: Bool
        var token: UInt64
    }

    let configuration: Configuration
    var phase: Phase = .idle

    // Negotiated state.
    var dialect: SMB2Dialect?
    var serverRequiresSigning = false
    var serverCapabilities: SMB2Capabilities = []
    var maxTransactSize: UInt32 = 65_536
    var cipher: SMB2EncryptionCipher?
    var signingAlgorithm: SMB2SigningAlgorithm = .hmacSHA256
    /// [MS-SMB2] 3.2.5.2 Connection.PreauthIntegrityHashValue, then Session's (3.2.5.3.1).
    var preauthHash: [UInt8] = Array(repeating: 0, count: 64)

    // Session state.
    var sessionID: UInt64 = 0
    var signingActive = false
    var sessionEncrypted = false
    var keys: SMB2SessionKeys?
    /// Signs and checks with `keys.signing`, keyed once when the keys are derived.
    var signer: SMB2Signer?
    private var encryptedTrees: Set<UInt32> = []
    var authenticator: NTLMAuthenticator?
    /// The NTLM exported session key, between the last round and the final response.
    var exportedSessionKey: [UInt8]?

    // Flow control.
    private(set) var nextMessageID: UInt64 = 0
    /// Credits granted and not yet used; a fresh connection may send one request.
    private(set) var credits = 1
    private(set) var outstanding: [UInt64: Outstanding] = [:]
    private var queue: [Queued] = []

    /// More credits than this are never kept (the protocol maximum a server may grant is far
    /// lower; this only bounds arithmetic on hostile input).
    static let maxCredits = 65_535

    init(configuration: Configuration) {
        self.configuration = configuration
    }

    var negotiatedParameters: SMB2NegotiatedParameters? {
        guard let dialect, phase == .authenticated || phase == .closed else { return nil }
        return SMB2NegotiatedParameters(
            dialect: dialect, serverRequiresSigning: serverRequiresSigning, isSigned: signingActive,
            signingAlgorithm: signingActive ? signingAlgorithm : nil, encryptionCipher: cipher,
            sessionEncrypted: sessionEncrypted, maxTransactSize: maxTransactSize)
    }

    /// True when large (multi-credit) requests are allowed ([MS-SMB2] 3.2.4.1.5).
    var supportsMultiCredit: Bool {
        guard let dialect else { return false }
        return dialect > .smb202 && serverCapabilities.contains(.largeMTU)
    }

    /// Credits available right now, for callers that size requests to what can be sent.
    var availableCredits: Int { credits }

    func isTreeEncrypted(_ treeID: UInt32) -> Bool {
        sessionEncrypted || encryptedTrees.contains(treeID)
    }

    // MARK: - Events

    /// The transport is connected: send NEGOTIATE ([MS-SMB2] 3.2.4.2.2.2).
    mutating func connected() throws -> [Action] {
        guard phase == .idle else { throw SMB2Error.protocolError("connection started twice") }
        phase = .negotiating
        let request = makeNegotiateRequest()
        let frame = try encodeAndRecord([request], related: false, token: nil)
        if dialectsInclude311 { preauthHash = Self.chain(preauthHash, frame) }
        return [.send(frame, token: nil)]
    }

    /// A user request (or a related compound chain) for an authenticated session.
    mutating func submit(_ requests: [SMB2Request], related: Bool, token: UInt64) throws -> [Action] {
        guard phase == .authenticated else {
            throw SMB2Error.protocolError("session is not established (phase \(phase))")
        }
        guard !requests.isEmpty else { return [] }
        queue.append(Queued(requests: requests, related: related, token: token))
        return try flushQueue()
    }

    /// A frame from the server (without the 4-byte transport header).
    mutating func received(_ frame: ByteBuffer) throws -> [Action] {
        do {
            return try receivedUnchecked(frame)
        } catch {
            phase = .closed
            throw error
        }
    }

    /// The connection is gone; nothing may be sent any more.
    mutating func closed() {
        phase = .closed
        queue.removeAll()
    }

    private mutating func receivedUnchecked(_ frame: ByteBuffer) throws -> [Action] {
        guard phase != .closed && phase != .idle else {
            throw SMB2Error.protocolError("message received on a connection that is not open")
        }
        guard let magic = frame.getBytes(at: frame.readerIndex, length: 4) else {
            throw SMB2Error.protocolError("frame shorter than a protocol id")
        }
        var plaintext = frame
        var encrypted = false
        switch magic {
        case [0xFF, 0x53, 0x4D, 0x42]:
            throw SMB2Error.smb1Only
        case SMB2TransformHeader.protocolID:
            keys?.deriveCipherKeys()
            plaintext = try decrypt(frame)
            encrypted = true
        case SMB2Header.protocolID:
            break
        case [0xFC, 0x53, 0x4D, 0x42]:
            throw SMB2Error.protocolError("compressed message received although not negotiated")
        default:
            throw SMB2Error.protocolError("frame is not an SMB2 message")
        }
        var actions: [Action] = []
        for message in try Self.splitCompound(plaintext) {
            actions += try receivedMessage(message, encrypted: encrypted)
        }
        actions += try flushQueue()
        return actions
    }

    /// Splits a compound chain at each NextCommand ([MS-SMB2] 3.2.5.1.9); each piece keeps its
    /// padding because signatures cover it.
    static func splitCompound(_ frame: ByteBuffer) throws -> [ByteBuffer] {
        var pieces: [ByteBuffer] = []
        var rest = frame.slice()
        while true {
            guard rest.readableBytes >= SMB2Header.size else {
                throw SMB2Error.protocolError("SMB2 message shorter than its header")
            }
            let next = Int(
                rest.getInteger(
                    at: rest.readerIndex + SMB2Header.nextCommandOffset, endianness: .little, as: UInt32.self) ?? 0)
            if next == 0 {
                pieces.append(rest)
                return pieces
            }
            guard next >= SMB2Header.size, next < rest.readableBytes, next % 8 == 0, pieces.count < 64 else {
                throw SMB2Error.protocolError("SMB2 compound chain has a bad NextCommand")
            }
            pieces.append(rest.readSlice(length: next) ?? ByteBuffer())
        }
    }

    private mutating func receivedMessage(_ message: ByteBuffer, encrypted: Bool) throws -> [Action] {
        let header = try SMB2Header.decode(from: message)
        guard header.flags.contains(.serverToRedir) else {
            throw SMB2Error.protocolError("received a request instead of a response")
        }
        if header.messageID == .max && header.command == .oplockBreak {
            return []  // unsolicited break notification; we never take oplocks or leases
        }
        guard let pending = outstanding[header.messageID] else {
            throw SMB2Error.protocolError("response for unknown message id \(header.messageID)")
        }
        guard pending.command == header.command else {
            throw SMB2Error.protocolError(
                "response \(header.command) to a \(pending.command) request (id \(header.messageID))")
        }
        credits = min(Self.maxCredits, credits + Int(header.credits))

        // [MS-SMB2] 3.2.5.1.5: an interim response only grants credits; the final answer follows.
        if header.status == .pending && header.flags.contains(.asyncCommand) {
            guard let token = pending.token else { return [] }
            return [.interim(messageID: header.messageID, token: token)]
        }
        if pending.encrypted && !encrypted {
            throw SMB2Error.protocolError("unencrypted response to an encrypted request")
        }
        let isFinalSessionSetup = header.command == .sessionSetup && header.status == .success
        if !encrypted && !isFinalSessionSetup {
            try verifySignatureIfNeeded(message, header: header, required: pending.signed)
        }
        outstanding[header.messageID] = nil

        let response = SMB2Response(header: header, message: message)
        switch (header.command, pending.token) {
        case (.negotiate, nil):
            return try receivedNegotiate(response)
        case (.sessionSetup, nil):
            return try receivedSessionSetup(response, encrypted: encrypted)
        case (_, let token?):
            if header.command == .treeConnect && header.status == .success {
                let tree = try SMB2TreeConnectResponse.decode(from: message)
                if tree.shareFlags.contains(.encryptData) {
                    guard cipher != nil, keys != nil else {
                        throw SMB2Error.protocolError("share requires encryption but no cipher was negotiated")
                    }
                    encryptedTrees.insert(header.treeID)
                }
            } else if header.command == .treeDisconnect {
                encryptedTrees.remove(header.treeID)
            } else if header.command == .logoff && header.status == .success {
                phase = .closed
            }
            return [.deliver(response, token: token)]
        default:
            throw SMB2Error.protocolError("unexpected \(header.command) response")
        }
    }

    // MARK: - Sending

    private var dialectsInclude311: Bool {
        configuration.dialects.contains(.smb311)
    }

    private mutating func flushQueue() throws -> [Action] {
        var actions: [Action] = []
        while let first = queue.first {
            let needed = first.requests.reduce(0) { $0 + $1.creditCharge }
            guard needed <= credits else {
                if outstanding.isEmpty {
                    // Nothing in flight can ever grant more: [MS-SMB2] 3.2.5.1.4 starvation.
                    throw SMB2Error.protocolError(
                        "server granted \(credits) credits but \(needed) are needed (credit starvation)")
                }
                break
            }
            queue.removeFirst()
            let frame = try encodeAndRecord(first.requests, related: first.related, token: first.token)
            actions.append(.send(frame, token: first.token))
        }
        return actions
    }

    /// Builds headers, assigns message ids and credit charges, signs each message and encrypts
    /// the chain as a whole when the session or tree demands it ([MS-SMB2] 3.2.4.1).
    mutating func encodeAndRecord(_ requests: [SMB2Request], related: Bool, token: UInt64?)
        throws -> ByteBuffer
    {
        let encrypt =
            phase == .authenticated && requests.contains { isTreeEncrypted($0.treeID) || sessionEncrypted }
        let sign = !encrypt && phase == .authenticated && signingActive
        var chain = ByteBuffer()
        for (index, request) in requests.enumerated() {
            let charge = request.creditCharge
            guard charge <= credits else {
                throw SMB2Error.protocolError("no credits left to send \(request.command)")
            }
            var header = SMB2Header(command: request.command)
            header.creditCharge = dialect == .smb202 || dialect == nil ? 0 : UInt16(charge)
            // Ask for enough to keep a compound listing in flight; servers cap the grant.
            header.credits = UInt16(charge + (credits < 256 ? 64 : 1))
            header.messageID = nextMessageID
            header.treeID = request.treeID
            header.sessionID = sessionID
            if related && index > 0 && !request.startsNewChain { header.flags.insert(.relatedOperations) }
            if sign { header.flags.insert(.signed) }
            var message = ByteBuffer()
            header.encode(into: &message)
            message.writeImmutableBuffer(request.body)
            let isLast = index == requests.count - 1
            if !isLast {
                message.padTo(alignment: 8)
                message.setLE(UInt32(message.readableBytes), at: SMB2Header.nextCommandOffset)
            }
            if sign, let signer {
                let signature = message.withUnsafeReadableBytes { signer.signature(of: $0) }
                message.setBytes(signature, at: message.readerIndex + SMB2Header.signatureOffset)
            }
            outstanding[nextMessageID] = Outstanding(
                command: request.command, token: token, signed: sign, encrypted: encrypt)
            nextMessageID += UInt64(charge)
            credits -= charge
            chain.writeImmutableBuffer(message)
        }
        if encrypt {
            keys?.deriveCipherKeys()
            return try self.encrypt(chain)
        }
        return chain
    }

    static func chain(_ hash: [UInt8], _ message: ByteBuffer) -> [UInt8] {
        SMB2SessionKeys.sha512(hash + Array(message.readableBytesView))
    }
}

extension SMB2SigningAlgorithm {
    var cryptoAlgorithm: SMB2Signing.Algorithm {
        switch self {
        case .hmacSHA256: .hmacSHA256
        case .aesCMAC: .aesCMAC
        case .aesGMAC: .aesGMAC
        }
    }
}

extension SMB2EncryptionCipher {
    var cryptoAlgorithm: SMB2Cipher.Algorithm {
        switch self {
        case .aes128CCM: .aes128CCM
        case .aes128GCM: .aes128GCM
        }
    }
}
