import Crypto
import NIOCore
import Testing

@testable import SMB2

/// The server side of the state-machine tests: it decodes what the client sends and builds
/// answers by hand (headers, bodies, signatures, encryption) with the same wire codecs, keeping
/// its own preauth hash so the client's key derivation is checked against an independent chain.
struct FakeServer {
    var dialect: SMB2Dialect
    var sessionID: UInt64 = 0x0000_4400_0000_0042
    var signingAlgorithm: SMB2SigningAlgorithm
    var cipher: SMB2EncryptionCipher? = .aes128GCM
    var preauthHash: [UInt8] = Array(repeating: 0, count: 64)
    var keys: SMB2SessionKeys?
    var grant: UInt16 = 32

    /// The exported session key the client draws: bytes 8..<24 of a 24-byte draw of
    /// ``deterministicRandom``.
    static let sessionKey: [UInt8] = Array(8..<24)

    static let credentials = SMB2Credentials(user: "bkadmin", password: "Ddrive-Pass-1", domain: "OUTLETS")

    static func configuration(dialects: [SMB2Dialect] = SMB2Dialect.all) -> SMB2ConnectionStateMachine.Configuration {
        var configuration = SMB2ConnectionStateMachine.Configuration(credentials: credentials)
        configuration.dialects = dialects
        configuration.randomBytes = { count in (0..<count).map { UInt8(truncatingIfNeeded: $0) } }
        configuration.currentTime = { 0x01DC_7EE3_0000_0000 }
        return configuration
    }

    init(dialect: SMB2Dialect) {
        self.dialect = dialect
        switch dialect {
        case .smb202, .smb210: signingAlgorithm = .hmacSHA256
        default: signingAlgorithm = .aesCMAC
        }
        if !dialect.isSMB3 { cipher = nil }
        if dialect == .smb300 || dialect == .smb302 { cipher = .aes128CCM }
    }

    mutating func hash(_ message: ByteBuffer) {
        if dialect == .smb311 {
            preauthHash = Array(SHA512.hash(data: preauthHash + message.bytes))
        }
    }

    /// Builds a response to the single request `request` (a whole message).
    func response(
        to request: ByteBuffer, status: NTStatus = .success, credits: UInt16? = nil, treeID: UInt32? = nil,
        flags: SMB2HeaderFlags = [], sign: Bool = false, body: (inout ByteBuffer) -> Void
    ) throws -> ByteBuffer {
        let requestHeader = try SMB2Header.decode(from: request)
        var header = SMB2Header(command: requestHeader.command)
        header.status = status
        header.credits = credits ?? grant
        header.flags = flags.union(.serverToRedir)
        header.messageID = requestHeader.messageID
        header.treeID = treeID ?? requestHeader.treeID
        header.sessionID = requestHeader.command == .negotiate ? 0 : sessionID
        if sign { header.flags.insert(.signed) }
        var buffer = message(header, body: body)
        if sign { self.sign(&buffer) }
        return buffer
    }

    func sign(_ buffer: inout ByteBuffer) {
        guard let keys else { return }
        buffer.setBytes(Array(repeating: 0, count: 16), at: 48)
        let signature = SMB2Signing.signature(
            algorithm: signingAlgorithm.cryptoAlgorithm, key: keys.signing, message: buffer.bytes)
        buffer.setBytes(signature, at: 48)
    }

    /// Checks a client message's signature with the server's copy of the signing key.
    func isValidlySigned(_ message: ByteBuffer) -> Bool {
        guard let keys, let header = try? SMB2Header.decode(from: message), header.flags.contains(.signed) else {
            return false
        }
        var copy = message.bytes
        for index in 48..<64 { copy[index] = 0 }
        return SMB2Signing.signature(algorithm: signingAlgorithm.cryptoAlgorithm, key: keys.signing, message: copy)
            == header.signature
    }

    /// Encrypts a message (or chain) as the server would, with the server-to-client key.
    func encrypt(_ plaintext: ByteBuffer) throws -> ByteBuffer {
        let cipher = try #require(cipher)
        let keys = try #require(keys)
        var header = SMB2TransformHeader(
            nonce: Array(repeating: 0x77, count: cipher.nonceLength),
            originalMessageSize: UInt32(plaintext.readableBytes),
            sessionID: sessionID)
        let sealed = try SMB2Cipher.seal(
            algorithm: cipher.cryptoAlgorithm, key: keys.decryption, nonce: header.nonce, plaintext: plaintext.bytes,
            aad: header.associatedData)
        header.signature = sealed.tag
        var frame = ByteBuffer()
        header.encode(into: &frame)
        frame.writeBytes(sealed.ciphertext)
        return frame
    }

    /// Decrypts a client frame with the client-to-server key.
    func decrypt(_ frame: ByteBuffer) throws -> ByteBuffer {
        let cipher = try #require(cipher)
        let keys = try #require(keys)
        let header = try SMB2TransformHeader.decode(from: frame)
        let plaintext = try SMB2Cipher.open(
            algorithm: cipher.cryptoAlgorithm, key: keys.encryption,
            nonce: Array(header.nonce.prefix(cipher.nonceLength)),
            ciphertext: Array(frame.bytes.dropFirst(SMB2TransformHeader.size)), tag: header.signature,
            aad: header.associatedData)
        return ByteBuffer(bytes: plaintext)
    }

    /// An NTLM CHALLENGE such as Samba sends, with key exchange and a timestamp.
    static let challenge = NTLMChallengeMessage(
        targetName: UTF16LE.encode("OUTLETS"),
        flags: [
            .unicode, .requestTarget, .sign, .seal, .ntlm, .alwaysSign, .extendedSessionSecurity, .targetInfo, .version,
            .negotiate128, .keyExchange, .negotiate56,
        ],
        serverChallenge: [1, 2, 3, 4, 5, 6, 7, 8],
        targetInfo: NTLMTargetInfo(pairs: [
            (NTLMAvID.nbDomainName.rawValue, UTF16LE.encode("OUTLETS")),
            (NTLMAvID.nbComputerName.rawValue, UTF16LE.encode("OUTLET0001")),
            (NTLMAvID.timestamp.rawValue, [0, 0x80, 0x3E, 0xD5, 0xDE, 0xB1, 0x9D, 0x01]),
        ]))

    /// Drives `machine` from connect to an authenticated session, checking each step.
    mutating func establish(_ machine: inout SMB2ConnectionStateMachine, encryptSession: Bool = false) throws
        -> SMB2NegotiatedParameters
    {
        var finalActions: [SMB2ConnectionStateMachine.Action] = []
        try answerHandshake(negotiate: Self.singleFrame(machine.connected()), encryptSession: encryptSession) {
            answer, isLast in
            let actions = try machine.received(answer)
            if isLast {
                finalActions = actions
                return nil
            }
            return try Self.singleFrame(actions)
        }
        guard finalActions.count == 1, case .established(let parameters) = finalActions[0] else {
            throw SMB2Error.protocolError("expected .established, got \(finalActions)")
        }
        return parameters
    }

    /// The server's side of NEGOTIATE and both SESSION_SETUP rounds, for any client (the state
    /// machine alone, or a channel handler): `deliver` hands each answer to the client and
    /// returns the client's next message; it is not asked for one after the last answer.
    mutating func answerHandshake(
        negotiate: ByteBuffer, encryptSession: Bool = false,
        deliver: (_ answer: ByteBuffer, _ isLast: Bool) throws -> ByteBuffer?
    ) throws {
        hash(negotiate)
        let negotiateResponse = try response(to: negotiate, credits: 1) {
            var contexts: [SMB2NegotiateContext] = [
                .preauthIntegrity(hashAlgorithms: [1], salt: Array(repeating: 9, count: 32))
            ]
            if let cipher { contexts.append(.encryption(ciphers: [cipher.wireID])) }
            contexts.append(.signing(algorithms: [signingAlgorithm.wireID]))
            SMB2NegotiateResponse(
                securityMode: .signingEnabled, dialect: dialect, serverGUID: Array(repeating: 0xAB, count: 16),
                capabilities: [.largeMTU, .encryption], maxTransactSize: 8_388_608, maxReadSize: 8_388_608,
                maxWriteSize: 8_388_608, systemTime: 0, serverStartTime: 0, securityBuffer: [],
                contexts: dialect == .smb311 ? contexts : []
            ).encode(into: &$0)
        }
        hash(negotiateResponse)
        let setup1 = try Self.nextMessage(deliver(negotiateResponse, false))
        hash(setup1)
        let challengeToken = SPNEGO.negTokenRespFromServer(responseToken: Self.challenge.encoded())
        let challengeResponse = try response(to: setup1, status: .moreProcessingRequired, credits: 1) {
            SMB2SessionSetupResponse(sessionFlags: [], securityBuffer: challengeToken).encode(into: &$0)
        }
        hash(challengeResponse)
        let setup2 = try Self.nextMessage(deliver(challengeResponse, false))
        hash(setup2)
        keys = SMB2SessionKeys(sessionKey: Self.sessionKey, dialect: dialect, preauthHash: preauthHash)
        let final = try response(to: setup2, credits: grant, sign: true) {
            SMB2SessionSetupResponse(sessionFlags: encryptSession ? .encryptData : [], securityBuffer: [])
                .encode(into: &$0)
        }
        _ = try deliver(final, true)
    }

    private static func nextMessage(_ message: ByteBuffer?) throws -> ByteBuffer {
        guard let message else { throw SMB2Error.protocolError("the client sent nothing during the handshake") }
        return message
    }

    static func singleFrame(_ actions: [SMB2ConnectionStateMachine.Action]) throws -> ByteBuffer {
        guard actions.count == 1, case .send(let frame, _) = actions[0] else {
            throw SMB2Error.protocolError("expected one .send, got \(actions)")
        }
        return frame
    }
}

extension SPNEGO {
    /// A server negTokenResp (accept-incomplete, NTLMSSP) carrying a CHALLENGE.
    static func negTokenRespFromServer(responseToken: [UInt8]) -> [UInt8] {
        let fields =
            DER.element(tag: 0xA0, DER.element(tag: 0x0A, [1]))
            + DER.element(tag: 0xA1, DER.element(tag: 0x06, ntlmsspOID))
            + DER.element(tag: 0xA2, DER.element(tag: 0x04, responseToken))
        return DER.element(tag: 0xA1, DER.element(tag: 0x30, fields))
    }
}
