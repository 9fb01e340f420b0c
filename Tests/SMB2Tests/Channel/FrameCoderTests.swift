import NIOCore
import Testing

@testable import SMB2

@Suite("Direct-TCP framing ([MS-SMB2] 2.1)")
struct FrameCoderTests {
    @Test func splitsFramesAndSkipsKeepAlives() throws {
        var buffer = ByteBuffer(bytes: [UInt8](hex: "85000000 00000003 aabbcc 000000"))
        #expect(try SMB2FrameDecoder.nextFrame(from: &buffer, maxFrameSize: 100) == .some(nil))
        let frame = try SMB2FrameDecoder.nextFrame(from: &buffer, maxFrameSize: 100)
        #expect(frame??.bytes == [0xAA, 0xBB, 0xCC])
        #expect(try SMB2FrameDecoder.nextFrame(from: &buffer, maxFrameSize: 100) == nil, "needs more data")
    }

    @Test func refusesOversizedAndForeignFrames() {
        var big = ByteBuffer(bytes: [UInt8](hex: "00ffffff"))
        #expect(throws: SMB2Error.self) { try SMB2FrameDecoder.nextFrame(from: &big, maxFrameSize: 1024) }
        var foreign = ByteBuffer(bytes: [UInt8](hex: "47455420"))
        #expect(throws: SMB2Error.self) { try SMB2FrameDecoder.nextFrame(from: &foreign, maxFrameSize: 1024) }
    }

    @Test func encoderPrefixesTheLength() throws {
        var out = ByteBuffer()
        try SMB2FrameEncoder().encode(data: ByteBuffer(bytes: [1, 2, 3]), out: &out)
        #expect(out.bytes == [UInt8](hex: "00000003 010203"))
    }
}
