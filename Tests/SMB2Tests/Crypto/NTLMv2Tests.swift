import Testing

@testable import SMB2

/// [MS-NLMP] 4.2.4 (NTLMv2 authentication) with the common values of 4.2.1: user "User",
/// domain "Domain", password "Password", server challenge 0123456789abcdef, client challenge
/// aaaaaaaaaaaaaaaa, time 0, and the AV pairs MsvAvNbDomainName "Domain", MsvAvNbComputerName
/// "Server", MsvAvEOL.
@Suite("NTLMv2 ([MS-NLMP] 3.3.2, 4.2.4)")
struct NTLMv2Tests {
    private static let serverChallenge = [UInt8](hex: "01 23 45 67 89 ab cd ef")
    private static let clientChallenge = [UInt8](hex: "aa aa aa aa aa aa aa aa")
    private static let targetInfo = [UInt8](
        hex: """
            02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00
            01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00
            00 00 00 00
            """
    )
    /// 4.2.4.1.1 ResponseKeyNT = NTOWFv2("Password", "User", "Domain").
    private static let responseKeyNT = [UInt8](hex: "0c 86 8a 40 3b fd 7a 93 a3 00 1e f2 2e f0 2e 3f")

    @Test("4.2.4.1.1 NTOWFv2")
    func ntOWFv2() {
        #expect(NTLMv2.ntOWFv2(password: "Password", user: "User", domain: "Domain") == Self.responseKeyNT)
    }

    /// The user name is upper-cased before hashing but the domain is not, so "user" gives the
    /// same key as "User" while "DOMAIN" gives another one.
    @Test("Only the user name is case-insensitive")
    func caseHandling() {
        #expect(NTLMv2.ntOWFv2(password: "Password", user: "user", domain: "Domain") == Self.responseKeyNT)
        #expect(NTLMv2.ntOWFv2(password: "Password", user: "User", domain: "DOMAIN") != Self.responseKeyNT)
    }

    /// Windows upper-cases one UTF-16 unit at a time, so the length never changes.
    @Test("Upper-casing is one-to-one like RtlUpcaseUnicodeString")
    func windowsUppercasing() {
        #expect(NTLMv2.windowsUppercased("Straße") == "STRAßE")
        #expect(NTLMv2.windowsUppercased("jürgen") == "JÜRGEN")
        #expect(NTLMv2.windowsUppercased("admin-01") == "ADMIN-01")
    }

    /// The `temp` blob that 4.2.4.2.2 shows after NTProofStr in the NTLMv2 response.
    @Test("3.3.2 temp / NTLMv2_CLIENT_CHALLENGE layout")
    func clientBlob() {
        let blob = NTLMv2.clientBlob(timestamp: 0, clientChallenge: Self.clientChallenge, targetInfo: Self.targetInfo)
        let expected = [UInt8](
            hex: """
                01 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00
                aa aa aa aa aa aa aa aa 00 00 00 00
                02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00
                01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00
                00 00 00 00 00 00 00 00
                """
        )
        #expect(blob == expected)
    }

    /// 4.2.4.2.2: NTProofStr = 68cd0ab8..., the whole 84-byte NtChallengeResponse as it appears
    /// in the 4.2.4.3 AUTHENTICATE_MESSAGE, and 4.2.4.1.2 SessionBaseKey = 8de40cca....
    @Test("4.2.4.2.2 NTLMv2 response and 4.2.4.1.2 session base key")
    func response() {
        let blob = NTLMv2.clientBlob(timestamp: 0, clientChallenge: Self.clientChallenge, targetInfo: Self.targetInfo)
        let result = NTLMv2.response(
            responseKeyNT: Self.responseKeyNT,
            serverChallenge: Self.serverChallenge,
            clientBlob: blob
        )
        #expect(
            Array(result.ntChallengeResponse.prefix(16))
                == [UInt8](hex: "68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c"))
        #expect(
            result.ntChallengeResponse
                == [UInt8](
                    hex: """
                        68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c 01 01 00 00 00 00 00 00
                        00 00 00 00 00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00 02 00 0c 00
                        44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00
                        65 00 72 00 00 00 00 00 00 00 00 00
                        """
                )
        )
        #expect(result.sessionBaseKey == [UInt8](hex: "8d e4 0c ca db c1 4a 82 f1 5c b0 ad 0d e9 5c a3"))
    }

    /// 4.2.4.2.1 LMv2 response; ResponseKeyLM equals ResponseKeyNT in NTLMv2.
    @Test("4.2.4.2.1 LMv2 response")
    func lmv2Response() {
        let response = NTLMv2.lmv2Response(
            responseKeyLM: Self.responseKeyNT,
            serverChallenge: Self.serverChallenge,
            clientChallenge: Self.clientChallenge
        )
        #expect(
            response
                == [UInt8](hex: "86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa aa aa aa aa")
        )
    }

    /// A real Windows MIC: the NTLM exchange inside Microsoft's SMB 3.1.1 pre-authentication
    /// integrity example. For NTLM the SMB session key is the ExportedSessionKey, and the MIC
    /// Windows put into the AUTHENTICATE_MESSAGE (offset 72) must come out of the
    /// three messages with that field zeroed. Python agrees:
    /// `hmac.new(esk, neg + chal + auth[:72] + bytes(16) + auth[88:], hashlib.md5).hexdigest()`.
    @Test("3.1.5.1.2 MIC matches the one Windows sent")
    func mic() {
        let authenticate = MicrosoftSMB3Vectors.ntlmAuthenticate
        var zeroedMIC = authenticate
        zeroedMIC.replaceSubrange(72..<88, with: repeatElement(0, count: 16))
        let mic = NTLMv2.mic(
            exportedSessionKey: MicrosoftSMB3Vectors.preauthSessionKey,
            negotiate: MicrosoftSMB3Vectors.ntlmNegotiate,
            challenge: MicrosoftSMB3Vectors.ntlmChallenge,
            authenticate: zeroedMIC
        )
        #expect(mic == Array(authenticate[72..<88]))
        #expect(mic.hexString == "ecac77a5f385a8bf9c38c706eeeddcd3")
    }
}
