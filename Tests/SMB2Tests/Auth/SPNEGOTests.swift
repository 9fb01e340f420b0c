import Testing

@testable import SMB2

@Suite("SPNEGO ([RFC 4178], [MS-SPNG]) minimal DER")
struct SPNEGOTests {
    @Test func negTokenInitWrapsNTLMNegotiate() {
        let token = SPNEGO.negTokenInit(mechToken: [0xAA, 0xBB])
        #expect(
            token
                == [UInt8](
                    hex:
                        """
                        60 22 06 06 2b0601050502 a0 18 30 16 a0 0e 30 0c 06 0a 2b06010401823702020a
                        a2 04 04 02 aabb
                        """))
    }

    @Test func longLengthsUseTheLongForm() {
        let content = [UInt8](repeating: 7, count: 300)
        let element = DER.element(tag: 0x04, content)
        #expect(Array(element.prefix(4)) == [0x04, 0x82, 0x01, 0x2C])
        var reader = DER.Reader(element[...])
        #expect(Array((try? reader.next(expecting: 0x04))?.content ?? []) == content)
    }

    @Test func parsesSambaChallengeNegTokenResp() throws {
        let response = try SMB2SessionSetupResponse.decode(
            from: .init(bytes: SambaCaptures.sessionSetupChallenge))
        let token = try SPNEGO.parseNegTokenResp(response.securityBuffer)
        #expect(token.negState == .acceptIncomplete)
        #expect(token.supportedMech == SPNEGO.ntlmsspOID)
        let challenge = try NTLMChallengeMessage(decoding: try #require(token.responseToken))
        #expect(challenge.flags.contains(.keyExchange))
        #expect(challenge.targetInfo.value(.timestamp)?.count == 8)
        expectEveryTruncationThrows(response.securityBuffer) { _ = try SPNEGO.parseNegTokenResp($0) }
        expectGarbageNeverTraps(response.securityBuffer) { _ = try SPNEGO.parseNegTokenResp($0) }
    }

    @Test func ourNegTokenRespRoundTrips() throws {
        let token = SPNEGO.negTokenResp(responseToken: [1, 2, 3], mechListMIC: Array(repeating: 9, count: 16))
        let parsed = try SPNEGO.parseNegTokenResp(token)
        #expect(parsed.responseToken == [1, 2, 3])
        #expect(parsed.mechListMIC == Array(repeating: 9, count: 16))
        #expect(parsed.negState == nil)
    }

    @Test func rejectsGarbageAndOverlongLengths() {
        #expect(throws: SMB2Error.self) { try SPNEGO.parseNegTokenResp([0xA1, 0x85, 1, 2, 3, 4, 5]) }
        #expect(throws: SMB2Error.self) { try SPNEGO.parseNegTokenResp([0xA1, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]) }
        #expect(throws: SMB2Error.self) { try SPNEGO.parseNegTokenResp([0x30, 0x00]) }
        #expect(throws: SMB2Error.self) { try SPNEGO.parseInitMechTypes([0x60, 0x03, 0x06, 0x01, 0x00]) }
        #expect((try? SPNEGO.parseInitMechTypes([])) == [])
    }
}
