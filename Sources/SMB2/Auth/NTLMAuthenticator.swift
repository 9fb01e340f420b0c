import Crypto

/// The client side of NTLMv2 authentication ([MS-NLMP] 3.1.5, 3.3.2) as a pure value: it turns
/// the server's CHALLENGE into our AUTHENTICATE and yields the exported session key.
///
/// Randomness and the clock are inputs, so tests can reproduce a whole exchange byte for byte.
struct NTLMAuthenticator: Sendable {
    struct Result: Sendable {
        var authenticateMessage: [UInt8]
        /// The key SMB2 derives its signing and encryption keys from ([MS-SMB2] 3.2.5.3.1).
        var exportedSessionKey: [UInt8]
        /// The SPNEGO mechListMIC over our MechTypeList ([MS-SPNG] 3.1.5.1).
        var mechListMIC: [UInt8]
    }

    let user: String
    let password: String
    let domain: String
    let workstation: String
    let clientChallenge: [UInt8]
    let randomSessionKey: [UInt8]
    /// FILETIME to use when the server's target info carries no MsvAvTimestamp.
    let currentTime: UInt64
    let negotiateMessage: [UInt8]

    init(
        credentials: SMB2Credentials, workstation: String = "", clientChallenge: [UInt8],
        randomSessionKey: [UInt8], currentTime: UInt64
    ) {
        user = credentials.user
        password = credentials.password
        domain = credentials.domain
        self.workstation = workstation
        self.clientChallenge = clientChallenge
        self.randomSessionKey = randomSessionKey
        self.currentTime = currentTime
        negotiateMessage = NTLMNegotiateMessage().encoded()
    }

    /// [MS-NLMP] 3.1.5.1.2: builds the AUTHENTICATE_MESSAGE for `challengeBytes`.
    func authenticate(challengeBytes: [UInt8]) throws -> Result {
        let challenge = try NTLMChallengeMessage(decoding: challengeBytes)
        guard challenge.flags.contains(.unicode) else {
            throw SMB2Error.protocolError("NTLM server does not support Unicode")
        }
        guard !challenge.targetInfo.pairs.isEmpty || challenge.flags.contains(.targetInfo) else {
            throw SMB2Error.protocolError("NTLM CHALLENGE carries no target info (NTLMv2 impossible)")
        }
        var targetInfo = challenge.targetInfo
        // 2.2.2.1 MsvAvFlags bit 0x2: the AUTHENTICATE carries a MIC.
        var avFlags: UInt32 = 0
        if let existing = targetInfo.value(.flags), existing.count == 4 {
            avFlags = existing.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
        }
        avFlags |= 0x0000_0002
        targetInfo.set(.flags, withUnsafeBytes(of: avFlags.littleEndian, Array.init))
        var timestamp = currentTime
        if let serverTime = challenge.targetInfo.value(.timestamp), serverTime.count == 8 {
            timestamp = serverTime.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        }

        // 2.2.2.7 NTLMv2_CLIENT_CHALLENGE.
        var blob: [UInt8] = [0x01, 0x01, 0, 0, 0, 0, 0, 0]
        blob += withUnsafeBytes(of: timestamp.littleEndian, Array.init)
        blob += clientChallenge
        blob += [0, 0, 0, 0]
        blob += targetInfo.encoded()
        blob += [0, 0, 0, 0]

        let responseKey = NTLMv2.ntOWFv2(password: password, user: user, domain: domain)
        let (ntResponse, sessionBaseKey) = NTLMv2.response(
            responseKeyNT: responseKey, serverChallenge: challenge.serverChallenge, clientBlob: blob)

        let flags = challenge.flags.intersection(NTLMFlags.client)
        // 3.4.5.1 KXKEY with extended session security and NTLMv2 is the session base key.
        let keyExchangeKey = sessionBaseKey
        var exportedSessionKey = keyExchangeKey
        var encryptedRandomSessionKey: [UInt8] = []
        if flags.contains(.keyExchange) {
            exportedSessionKey = randomSessionKey
            encryptedRandomSessionKey = RC4.apply(key: keyExchangeKey, to: randomSessionKey)
        }

        var message = NTLMAuthenticateMessage(
            lmChallengeResponse: Array(repeating: 0, count: 24), ntChallengeResponse: ntResponse,
            domain: domain, user: user, workstation: workstation,
            encryptedRandomSessionKey: encryptedRandomSessionKey, flags: flags)
        let unsigned = message.encoded()
        message.mic = NTLMv2.mic(
            exportedSessionKey: exportedSessionKey, negotiate: negotiateMessage,
            challenge: challengeBytes, authenticate: unsigned)
        return Result(
            authenticateMessage: message.encoded(), exportedSessionKey: exportedSessionKey,
            mechListMIC: Self.sign(
                SPNEGO.mechTypeList, exportedSessionKey: exportedSessionKey,
                keyExchange: flags.contains(.keyExchange)))
    }

    /// [MS-NLMP] 3.4.4.2 MAC with extended session security, sequence number 0, client to
    /// server: the first message signed with this session, so the RC4 sealing state is fresh.
    static func sign(_ message: [UInt8], exportedSessionKey: [UInt8], keyExchange: Bool) -> [UInt8] {
        let signKey = Array(
            Insecure.MD5.hash(
                data: exportedSessionKey
                    + Array("session key to client-to-server signing key magic constant".utf8) + [0]))
        let sealKey = Array(
            Insecure.MD5.hash(
                data: exportedSessionKey
                    + Array("session key to client-to-server sealing key magic constant".utf8) + [0]))
        let sequence: [UInt8] = [0, 0, 0, 0]
        let mac = PlainHMAC.authenticationCode(Insecure.MD5.self, key: signKey, sequence, message)
        var checksum = Array(mac.prefix(8))
        if keyExchange {
            checksum = RC4.apply(key: sealKey, to: checksum)
        }
        return [1, 0, 0, 0] + checksum + sequence
    }
}
