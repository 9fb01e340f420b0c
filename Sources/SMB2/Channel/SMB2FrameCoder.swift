import NIOCore

/// [MS-SMB2] 2.1 Direct TCP transport: every message is prefixed by a zero byte and a 24-bit
/// big-endian length (the NetBIOS session message header). Frames longer than `maxFrameSize`
/// are refused before any byte of them is buffered, so a hostile length cannot make us allocate.
struct SMB2FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let maxFrameSize: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.nextFrame(from: &buffer, maxFrameSize: maxFrameSize) else {
            return .needMoreData
        }
        if let frame { context.fireChannelRead(Self.wrapInboundOut(frame)) }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        try decode(context: context, buffer: &buffer)
    }

    /// Returns nil when more bytes are needed, `.some(nil)` for a NetBIOS keep-alive (skipped),
    /// or the frame.
    static func nextFrame(from buffer: inout ByteBuffer, maxFrameSize: Int) throws -> ByteBuffer?? {
        guard buffer.readableBytes >= 4, let header = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else {
            return nil
        }
        let type = header >> 24
        let length = Int(header & 0x00FF_FFFF)
        switch type {
        case 0x00:
            break
        case 0x85:  // NetBIOS SESSION KEEP ALIVE ([RFC 1002] 4.3.7): carries nothing.
            buffer.moveReaderIndex(forwardBy: 4)
            return .some(nil)
        default:
            throw SMB2Error.protocolError("not an SMB2 direct-TCP frame (type 0x\(String(type, radix: 16)))")
        }
        guard length <= maxFrameSize else {
            throw SMB2Error.protocolError("frame of \(length) bytes exceeds the \(maxFrameSize)-byte limit")
        }
        guard buffer.readableBytes >= 4 + length else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return .some(buffer.readSlice(length: length))
    }
}

/// Adds the direct-TCP length prefix to outgoing frames.
struct SMB2FrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = ByteBuffer

    func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        guard data.readableBytes <= 0x00FF_FFFF else {
            throw SMB2Error.protocolError("request of \(data.readableBytes) bytes is too large to send")
        }
        out.writeInteger(UInt32(data.readableBytes))
        out.writeImmutableBuffer(data)
    }
}
