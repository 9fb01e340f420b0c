import NIOCore
import Testing

@testable import SMB2

@Suite("NEGOTIATE codec ([MS-SMB2] 2.2.3, 2.2.4)")
struct NegotiateCodecTests {
    static let request = SMB2NegotiateRequest(
        dialects: [.smb202, .smb311], securityMode: .signingEnabled, capabilities: [.largeMTU, .encryption],
        clientGUID: Array(0..<16),
        contexts: [
            .preauthIntegrity(hashAlgorithms: [1], salt: [0xAA, 0xBB, 0xCC, 0xDD]),
            .encryption(ciphers: [2, 1]),
            .signing(algorithms: [2, 1, 0]),
        ])

    @Test func encodesRequestWithAlignedContexts() {
        var body = ByteBuffer()
        Self.request.encode(into: &body)
        let expected = [UInt8](
            hex:
                """
                2400 0200 0100 0000 44000000 000102030405060708090a0b0c0d0e0f
                68000000 0300 0000
                0202 1103
                0100 0a00 00000000 0100 0400 0100 aabbccdd 000000000000
                0200 0600 00000000 0200 0200 0100 0000
                0800 0800 00000000 0300 0200 0100 0000
                """)
        #expect(body.bytes.hexString == expected.hexString)
    }

    @Test func requestRoundTrips() throws {
        var header = SMB2Header(command: .negotiate)
        header.messageID = 0
        let bytes = message(header) { Self.request.encode(into: &$0) }
        #expect(try SMB2NegotiateRequest.decode(from: bytes) == Self.request)
    }

    @Test func requestWithoutSMB311HasNoContexts() {
        var request = Self.request
        request.dialects = [.smb202, .smb210]
        var body = ByteBuffer()
        request.encode(into: &body)
        #expect(body.readableBytes == 36 + 4)
        #expect(body.getInteger(at: 28, endianness: .little, as: UInt64.self) == 0)
    }

    @Test func decodesSambaResponse() throws {
        let response = try SMB2NegotiateResponse.decode(from: ByteBuffer(bytes: SambaCaptures.negotiateResponse))
        #expect(response.dialect == .smb311)
        #expect(response.securityMode == .signingEnabled)
        #expect(response.capabilities.contains(.largeMTU))
        #expect(response.maxTransactSize == 8 * 1_048_576)
        #expect(try SPNEGO.parseInitMechTypes(response.securityBuffer) == [SPNEGO.ntlmsspOID])
        #expect(response.contexts.count == 3)
        guard case .preauthIntegrity(let hashes, let salt) = response.contexts[0] else {
            Issue.record("first context is not preauth integrity")
            return
        }
        #expect(hashes == [1])
        #expect(salt.count == 32)
        #expect(response.contexts[1] == .encryption(ciphers: [2]))
        #expect(response.contexts[2] == .signing(algorithms: [2]))  // AES-GMAC
    }

    @Test func responseRoundTrips() throws {
        let original = try SMB2NegotiateResponse.decode(from: ByteBuffer(bytes: SambaCaptures.negotiateResponse))
        var header = SMB2Header(command: .negotiate)
        header.flags = .serverToRedir
        let encoded = message(header) { original.encode(into: &$0) }
        #expect(try SMB2NegotiateResponse.decode(from: encoded) == original)
    }

    @Test func everyTruncationOfTheSambaResponseThrows() {
        expectEveryTruncationThrows(SambaCaptures.negotiateResponse) {
            _ = try SMB2NegotiateResponse.decode(from: ByteBuffer(bytes: $0))
        }
    }

    @Test func garbageNeverTraps() {
        expectGarbageNeverTraps(SambaCaptures.negotiateResponse) {
            _ = try SMB2NegotiateResponse.decode(from: ByteBuffer(bytes: $0))
        }
    }

    @Test func rejectsOutOfRangeSecurityBufferAndContexts() {
        var bytes = SambaCaptures.negotiateResponse
        bytes[64 + 58] = 0xFF  // SecurityBufferLength low byte → beyond the message
        bytes[64 + 59] = 0xFF
        #expect(throws: SMB2Error.self) { try SMB2NegotiateResponse.decode(from: ByteBuffer(bytes: bytes)) }
        var contexts = SambaCaptures.negotiateResponse
        contexts[64 + 6] = 0xFF  // NegotiateContextCount 255
        #expect(throws: SMB2Error.self) { try SMB2NegotiateResponse.decode(from: ByteBuffer(bytes: contexts)) }
    }
}
