import NIOCore
import Testing

@testable import SMB2

@Suite("READ codec ([MS-SMB2] 2.2.19, 2.2.20)")
struct ReadCodecTests {
    @Test func encodesARelatedRead() {
        var body = ByteBuffer()
        SMB2ReadRequest(fileID: .related, offset: 0x1_0000, length: 65_536).encode(into: &body)
        #expect(body.readableBytes == 49)
        #expect(
            body.bytes
                == [UInt8](
                    hex: """
                        3100 50 00 00000100 0000010000000000 ffffffffffffffff ffffffffffffffff
                        00000000 00000000 00000000 0000 0000 00
                        """))
    }

    func response(dataOffset: UInt8, length: UInt32, data: [UInt8]) -> [UInt8] {
        var header = SMB2Header(command: .read)
        header.flags = .serverToRedir
        return message(header) { buffer in
            buffer.writeLE(UInt16(17))
            buffer.writeLE(dataOffset)
            buffer.writeLE(UInt8(0))
            buffer.writeLE(length)
            buffer.writeLE(UInt32(0))
            buffer.writeLE(UInt32(0))
            buffer.writeBytes(data)
        }.bytes
    }

    @Test func decodesTheDataAndRefusesLiesAndTruncations() throws {
        let bytes = response(dataOffset: 0x50, length: 5, data: [1, 2, 3, 4, 5])
        #expect(try SMB2ReadResponse.decode(from: ByteBuffer(bytes: bytes), maxLength: 64).data == [1, 2, 3, 4, 5])
        // More than was asked for: refused, whatever the message holds.
        #expect(throws: SMB2Error.self) { try SMB2ReadResponse.decode(from: ByteBuffer(bytes: bytes), maxLength: 4) }
        // A length beyond the message, an offset beyond it.
        let lying = response(dataOffset: 0x50, length: 500, data: [1, 2, 3])
        #expect(throws: SMB2Error.self) { try SMB2ReadResponse.decode(from: ByteBuffer(bytes: lying), maxLength: 1000) }
        let far = response(dataOffset: 0xF0, length: 3, data: [1, 2, 3])
        #expect(throws: SMB2Error.self) { try SMB2ReadResponse.decode(from: ByteBuffer(bytes: far), maxLength: 1000) }
        expectEveryTruncationThrows(bytes) {
            _ = try SMB2ReadResponse.decode(from: ByteBuffer(bytes: $0), maxLength: 64)
        }
    }

    @Test func aSampleReadsTheHeadAndTheLastBlock() {
        #expect(SMB2Session.sampleReads(size: 1000, block: 65_536).map(\.offset) == [0])
        #expect(SMB2Session.sampleReads(size: 65_536, block: 65_536).map(\.offset) == [0])
        #expect(SMB2Session.sampleReads(size: 200_000, block: 65_536).map(\.offset) == [0, 200_000 - 65_536])
    }
}
