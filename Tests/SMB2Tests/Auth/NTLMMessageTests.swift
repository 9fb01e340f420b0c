import Testing

@testable import SMB2

@Suite("NTLMSSP messages ([MS-NLMP] 2.2.1) and the NTLMv2 client")
struct NTLMMessageTests {
    @Test func negotiateMessageBytes() throws {
        let bytes = NTLMNegotiateMessage().encoded()
        #expect(
            bytes
                == [UInt8](
                    hex:
                        """
                        4e544c4d53535000 01000000 358288e2 0000000000000000 0000000000000000 0a00614a0000000f
                        """))
        #expect(try NTLMNegotiateMessage(decoding: bytes).flags == .client)
    }

    @Test func decodesSambaChallenge() throws {
        let response = try SMB2SessionSetupResponse.decode(from: .init(bytes: SambaCaptures.sessionSetupChallenge))
        let ntlm = try #require(try SPNEGO.parseNegTokenResp(response.securityBuffer).responseToken)
        let challenge = try NTLMChallengeMessage(decoding: ntlm)
        #expect(try UTF16LE.decode(challenge.targetName, what: "name") == "SMB2TEST")
        #expect(challenge.serverChallenge.count == 8)
        #expect(try UTF16LE.decode(try #require(challenge.targetInfo.value(.nbComputerName)), what: "n") == "SMB2TEST")
        #expect(try NTLMChallengeMessage(decoding: challenge.encoded()) == challenge)
        expectEveryTruncationThrows(ntlm) { _ = try NTLMChallengeMessage(decoding: $0) }
        expectGarbageNeverTraps(ntlm) { _ = try NTLMChallengeMessage(decoding: $0) }
    }

    @Test func authenticateMessageLayoutAndRoundTrip() throws {
        var message = NTLMAuthenticateMessage(
            lmChallengeResponse: Array(repeating: 0, count: 24), ntChallengeResponse: [1, 2, 3], domain: "D", user: "u",
            workstation: "", encryptedRandomSessionKey: Array(repeating: 5, count: 16), flags: .client)
        message.mic = Array(repeating: 0xCC, count: 16)
        let bytes = message.encoded()
        #expect(Array(bytes[12..<20]) == [UInt8](hex: "1800 1800 58000000"))  // LM response at 88
        #expect(Array(bytes[20..<28]) == [UInt8](hex: "0300 0300 70000000"))  // NT response at 112
        #expect(Array(bytes[72..<88]) == Array(repeating: 0xCC, count: 16))
        #expect(try NTLMAuthenticateMessage(decoding: bytes) == message)
        expectEveryTruncationThrows(bytes) { _ = try NTLMAuthenticateMessage(decoding: $0) }
    }

    @Test func targetInfoNeedsEOL() {
        #expect(throws: SMB2Error.self) { try NTLMTargetInfo(decoding: [0x01, 0x00, 0x02, 0x00, 0x41, 0x00]) }
        #expect((try? NTLMTargetInfo(decoding: [0, 0, 0, 0]))?.pairs.isEmpty == true)
    }

    @Test func authenticatorAnswersTheChallengeWithAVerifiableResponse() throws {
        let authenticator = NTLMAuthenticator(
            credentials: SMB2Credentials(user: "User", password: "Password", domain: "Domain"),
            clientChallenge: [0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA],
            randomSessionKey: Array(repeating: 0x55, count: 16),
            currentTime: 0)
        let result = try authenticator.authenticate(challengeBytes: FakeServer.challenge.encoded())
        let message = try NTLMAuthenticateMessage(decoding: result.authenticateMessage)
        #expect(message.user == "User")
        #expect(message.flags.contains(.keyExchange))
        #expect(result.exportedSessionKey == Array(repeating: 0x55, count: 16))
        // The MIC covers all three messages with the MIC field zeroed.
        var zeroed = result.authenticateMessage
        for index in 72..<88 { zeroed[index] = 0 }
        #expect(
            NTLMv2.mic(
                exportedSessionKey: result.exportedSessionKey, negotiate: authenticator.negotiateMessage,
                challenge: FakeServer.challenge.encoded(), authenticate: zeroed) == message.mic)
        // The mechListMIC is an NTLMSSP signature: version 1, 8-byte checksum, sequence 0.
        #expect(Array(result.mechListMIC.prefix(4)) == [1, 0, 0, 0])
        #expect(Array(result.mechListMIC.suffix(4)) == [0, 0, 0, 0])
    }

    @Test func challengeWithoutUnicodeOrTargetInfoIsRefused() {
        var challenge = FakeServer.challenge
        challenge.flags.remove(.unicode)
        let authenticator = NTLMAuthenticator(
            credentials: FakeServer.credentials, clientChallenge: Array(repeating: 0, count: 8),
            randomSessionKey: Array(repeating: 0, count: 16), currentTime: 0)
        #expect(throws: SMB2Error.self) { try authenticator.authenticate(challengeBytes: challenge.encoded()) }
        var noInfo = FakeServer.challenge
        noInfo.flags.remove(.targetInfo)
        noInfo.targetInfo = NTLMTargetInfo()
        #expect(throws: SMB2Error.self) { try authenticator.authenticate(challengeBytes: noInfo.encoded()) }
    }
}
