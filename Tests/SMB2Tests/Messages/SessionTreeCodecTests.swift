import NIOCore
import Testing

@testable import SMB2

@Suite("SESSION_SETUP, LOGOFF, TREE_CONNECT/DISCONNECT codecs")
struct SessionTreeCodecTests {
    @Test func encodesSessionSetupRequest() {
        var body = ByteBuffer()
        SMB2SessionSetupRequest(securityMode: [.signingEnabled, .signingRequired], securityBuffer: [0x60, 0x01, 0x00])
            .encode(into: &body)
        #expect(
            body.bytes
                == [UInt8](hex: "1900 00 03 00000000 00000000 5800 0300 0000000000000000 600100"))
    }

    @Test func decodesSambaChallengeRoundAndEveryTruncationThrows() throws {
        let bytes = SambaCaptures.sessionSetupChallenge
        let header = try SMB2Header.decode(from: ByteBuffer(bytes: bytes))
        #expect(header.status == .moreProcessingRequired)
        #expect(header.sessionID != 0)
        let response = try SMB2SessionSetupResponse.decode(from: ByteBuffer(bytes: bytes))
        #expect(response.sessionFlags == [])
        #expect(response.securityBuffer.count == 0xAB)
        expectEveryTruncationThrows(bytes) { _ = try SMB2SessionSetupResponse.decode(from: ByteBuffer(bytes: $0)) }
        expectGarbageNeverTraps(bytes) { _ = try SMB2SessionSetupResponse.decode(from: ByteBuffer(bytes: $0)) }
    }

    @Test func sessionSetupResponseRoundTrips() throws {
        var header = SMB2Header(command: .sessionSetup)
        header.flags = .serverToRedir
        let original = SMB2SessionSetupResponse(sessionFlags: .encryptData, securityBuffer: [1, 2, 3])
        let encoded = message(header) { original.encode(into: &$0) }
        #expect(try SMB2SessionSetupResponse.decode(from: encoded) == original)
        let request = SMB2SessionSetupRequest(securityMode: .signingEnabled, previousSessionID: 9, securityBuffer: [7])
        #expect(try SMB2SessionSetupRequest.decode(from: message(header) { request.encode(into: &$0) }) == request)
    }

    @Test func encodesTreeConnectWithUTF16Path() throws {
        var body = ByteBuffer()
        SMB2TreeConnectRequest(path: "\\\\h\\d$").encode(into: &body)
        #expect(body.bytes == [UInt8](hex: "0900 0000 4800 0c00 5c005c0068005c0064002400"))
        var header = SMB2Header(command: .treeConnect)
        header.treeID = 0
        let decoded = try SMB2TreeConnectRequest.decode(from: message(header) { $0.writeImmutableBuffer(body) })
        #expect(decoded.path == "\\\\h\\d$")
    }

    @Test func decodesTreeConnectResponse() throws {
        var header = SMB2Header(command: .treeConnect)
        header.flags = .serverToRedir
        let bytes = message(header) { $0.writeBytes([UInt8](hex: "1000 01 00 00800000 00000000 ff011f00")) }.bytes
        let response = try SMB2TreeConnectResponse.decode(from: ByteBuffer(bytes: bytes))
        #expect(response.shareType == 1)
        #expect(response.shareFlags.contains(.encryptData))
        #expect(response.maximalAccess == 0x001F_01FF)
        expectEveryTruncationThrows(bytes) { _ = try SMB2TreeConnectResponse.decode(from: ByteBuffer(bytes: $0)) }
    }

    @Test func logoffAndTreeDisconnectBodies() throws {
        var body = ByteBuffer()
        SMB2EmptyBody.encode(into: &body)
        #expect(body.bytes == [UInt8](hex: "0400 0000"))
        let bytes = message(SMB2Header(command: .logoff)) { SMB2EmptyBody.encode(into: &$0) }.bytes
        try SMB2EmptyBody.decode(from: ByteBuffer(bytes: bytes), what: "LOGOFF response")
        expectEveryTruncationThrows(bytes) { try SMB2EmptyBody.decode(from: ByteBuffer(bytes: $0), what: "LOGOFF") }
    }
}
