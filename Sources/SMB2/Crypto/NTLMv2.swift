import Crypto

/// The NTLMv2 computations of [MS-NLMP] 3.3.2 (responses and session base key) and 3.1.5.1.2
/// (the AUTHENTICATE_MESSAGE MIC). Message layout stays with the NTLMSSP codec; this type
/// only does the cryptography.
enum NTLMv2 {
    /// NTOWFv2 (= LMOWFv2) of [MS-NLMP] 3.3.2:
    /// `HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(ConcatenationOf(Uppercase(User), UserDom)))`.
    ///
    /// The result is ResponseKeyNT (and ResponseKeyLM). Only the user name is upper-cased, one
    /// UTF-16 unit at a time as Windows does (RtlUpcaseUnicodeString); the domain is used as given.
    static func ntOWFv2(password: String, user: String, domain: String) -> [UInt8] {
        let ntHash = MD4.hash(utf16LittleEndian(password))
        return hmacMD5(key: ntHash, utf16LittleEndian(windowsUppercased(user) + domain))
    }

    /// The NTLMv2 response of [MS-NLMP] 3.3.2:
    ///
    ///     NTProofStr          = HMAC_MD5(ResponseKeyNT, ServerChallenge || temp)
    ///     NtChallengeResponse = NTProofStr || temp
    ///     SessionBaseKey      = HMAC_MD5(ResponseKeyNT, NTProofStr)
    ///
    /// - Parameters:
    ///   - responseKeyNT: `ntOWFv2(...)`.
    ///   - serverChallenge: the CHALLENGE_MESSAGE ServerChallenge, 8 bytes.
    ///   - clientBlob: `temp`, the NTLMv2_CLIENT_CHALLENGE with its trailing 4 zero bytes, as
    ///     built by `clientBlob(timestamp:clientChallenge:targetInfo:)`.
    static func response(
        responseKeyNT: [UInt8],
        serverChallenge: [UInt8],
        clientBlob: [UInt8]
    ) -> (ntChallengeResponse: [UInt8], sessionBaseKey: [UInt8]) {
        let ntProofStr = hmacMD5(key: responseKeyNT, serverChallenge + clientBlob)
        let sessionBaseKey = hmacMD5(key: responseKeyNT, ntProofStr)
        return (ntProofStr + clientBlob, sessionBaseKey)
    }

    /// `temp` of [MS-NLMP] 3.3.2 (the NTLMv2_CLIENT_CHALLENGE of 2.2.2.7 plus 4 zero bytes):
    /// RespType 1, HiRespType 1, 6 zero bytes, the 64-bit little-endian FILETIME `timestamp`,
    /// the 8-byte client challenge, 4 zero bytes, the AV pairs (`targetInfo`, ending with
    /// MsvAvEOL), 4 zero bytes.
    static func clientBlob(timestamp: UInt64, clientChallenge: [UInt8], targetInfo: [UInt8]) -> [UInt8] {
        var blob: [UInt8] = [0x01, 0x01, 0, 0, 0, 0, 0, 0]
        blob.reserveCapacity(32 + targetInfo.count)
        withUnsafeBytes(of: timestamp.littleEndian) { blob.append(contentsOf: $0) }
        blob.append(contentsOf: clientChallenge)
        blob.append(contentsOf: [0, 0, 0, 0])
        blob.append(contentsOf: targetInfo)
        blob.append(contentsOf: [0, 0, 0, 0])
        return blob
    }

    /// The LMv2 response of [MS-NLMP] 3.3.2:
    /// `HMAC_MD5(ResponseKeyLM, ServerChallenge || ClientChallenge) || ClientChallenge`.
    ///
    /// When the CHALLENGE_MESSAGE target info carries MsvAvTimestamp the client sends 24 zero
    /// bytes instead (3.1.5.1.2); that choice belongs to the message builder.
    static func lmv2Response(responseKeyLM: [UInt8], serverChallenge: [UInt8], clientChallenge: [UInt8]) -> [UInt8] {
        hmacMD5(key: responseKeyLM, serverChallenge + clientChallenge) + clientChallenge
    }

    /// The AUTHENTICATE_MESSAGE MIC of [MS-NLMP] 3.1.5.1.2:
    /// `HMAC_MD5(ExportedSessionKey, NEGOTIATE_MESSAGE || CHALLENGE_MESSAGE || AUTHENTICATE_MESSAGE)`,
    /// where the AUTHENTICATE_MESSAGE is passed with its 16-byte MIC field set to zero.
    static func mic(exportedSessionKey: [UInt8], negotiate: [UInt8], challenge: [UInt8], authenticate: [UInt8])
        -> [UInt8]
    {
        PlainHMAC.authenticationCode(Insecure.MD5.self, key: exportedSessionKey, negotiate, challenge, authenticate)
    }

    /// UNICODE() of [MS-NLMP] 6: UTF-16LE without a terminator.
    static func utf16LittleEndian(_ string: String) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(string.utf16.count * 2)
        for unit in string.utf16 {
            bytes.append(UInt8(truncatingIfNeeded: unit))
            bytes.append(UInt8(truncatingIfNeeded: unit >> 8))
        }
        return bytes
    }

    /// Upper-cases like Windows' RtlUpcaseUnicodeString: a one-to-one simple case mapping, so
    /// the length never changes ("ß" stays "ß", where `String.uppercased()` would give "SS" and
    /// a different hash from the one the domain controller computes).
    static func windowsUppercased(_ string: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in string.unicodeScalars {
            let mapped = scalar.properties.uppercaseMapping.unicodeScalars
            if mapped.count == 1, let upper = mapped.first {
                result.append(upper)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func hmacMD5(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        PlainHMAC.authenticationCode(Insecure.MD5.self, key: key, message)
    }
}
