import NIOCore
import Testing

@testable import SMB2

@Suite("SMB2 header and ERROR codec")
struct HeaderCodecTests {
    @Test func encodesSyncRequestHeader() {
        var header = SMB2Header(command: .treeConnect)
        header.creditCharge = 1
        header.credits = 64
        header.flags = .signed
        header.messageID = 4
        header.sessionID = 0x1234_5678
        var buffer = ByteBuffer()
        header.encode(into: &buffer)
        #expect(
            buffer.bytes
                == [UInt8](
                    hex:
                        """
                        fe534d42 4000 0100 00000000 0300 4000 08000000 00000000 0400000000000000
                        00000000 00000000 7856341200000000 00000000000000000000000000000000
                        """))
    }

    @Test func decodesAsyncInterimResponse() throws {
        let bytes = [UInt8](
            hex:
                """
                fe534d42 4000 0100 03010000 0e00 0200 03000000 00000000 0900000000000000
                8877665544332211 0100000000000000 00000000000000000000000000000000
                0900 00 00 00000000 00
                """)
        let header = try SMB2Header.decode(from: ByteBuffer(bytes: bytes))
        #expect(header.status == .pending)
        #expect(header.command == .queryDirectory)
        #expect(header.credits == 2)
        #expect(header.flags == [.serverToRedir, .asyncCommand])
        #expect(header.messageID == 9)
        #expect(header.asyncID == 0x1122_3344_5566_7788)
        #expect(header.sessionID == 1)
        let error = try SMB2ErrorResponse.decode(from: ByteBuffer(bytes: bytes))
        #expect(error.errorData.isEmpty)
    }

    @Test func roundTripsHeader() throws {
        var header = SMB2Header(command: .create)
        header.status = .objectNameNotFound
        header.flags = [.serverToRedir, .relatedOperations]
        header.nextCommand = 0x68
        header.messageID = 0xFFFF_FFFF_0000_0001
        header.treeID = 7
        header.sessionID = 0xDEAD_BEEF
        header.signature = Array(1...16)
        var buffer = ByteBuffer()
        header.encode(into: &buffer)
        #expect(try SMB2Header.decode(from: buffer) == header)
    }

    @Test func rejectsTruncatedAndForeignHeaders() {
        let full = SambaCaptures.negotiateResponse
        expectEveryTruncationThrows(Array(full.prefix(64))) { _ = try SMB2Header.decode(from: ByteBuffer(bytes: $0)) }
        var smb1 = full
        smb1[0] = 0xFF
        #expect(throws: SMB2Error.self) { try SMB2Header.decode(from: ByteBuffer(bytes: smb1)) }
        var badSize = full
        badSize[4] = 0x41
        #expect(throws: SMB2Error.self) { try SMB2Header.decode(from: ByteBuffer(bytes: badSize)) }
    }

    @Test func errorResponseByteCountMustFit() {
        var header = SMB2Header(command: .create)
        header.status = .accessDenied
        let good = message(header) { SMB2ErrorResponse(errorContextCount: 0, errorData: [1, 2, 3]).encode(into: &$0) }
        #expect((try? SMB2ErrorResponse.decode(from: good))?.errorData == [1, 2, 3])
        var lying = good.bytes
        lying[68] = 0xFF  // ByteCount 255 with 3 bytes present
        #expect(throws: SMB2Error.self) { try SMB2ErrorResponse.decode(from: ByteBuffer(bytes: lying)) }
        expectEveryTruncationThrows(good.bytes) { _ = try SMB2ErrorResponse.decode(from: ByteBuffer(bytes: $0)) }
    }
}
