import NIOCore

/// [MS-SMB2] 2.2.1 command codes.
struct SMB2Command: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    var rawValue: UInt16

    static let negotiate = SMB2Command(rawValue: 0x00)
    static let sessionSetup = SMB2Command(rawValue: 0x01)
    static let logoff = SMB2Command(rawValue: 0x02)
    static let treeConnect = SMB2Command(rawValue: 0x03)
    static let treeDisconnect = SMB2Command(rawValue: 0x04)
    static let create = SMB2Command(rawValue: 0x05)
    static let close = SMB2Command(rawValue: 0x06)
    static let read = SMB2Command(rawValue: 0x08)
    static let echo = SMB2Command(rawValue: 0x0D)
    static let queryDirectory = SMB2Command(rawValue: 0x0E)
    static let oplockBreak = SMB2Command(rawValue: 0x12)

    var description: String {
        switch self {
        case .negotiate: "NEGOTIATE"
        case .sessionSetup: "SESSION_SETUP"
        case .logoff: "LOGOFF"
        case .treeConnect: "TREE_CONNECT"
        case .treeDisconnect: "TREE_DISCONNECT"
        case .create: "CREATE"
        case .close: "CLOSE"
        case .read: "READ"
        case .echo: "ECHO"
        case .queryDirectory: "QUERY_DIRECTORY"
        case .oplockBreak: "OPLOCK_BREAK"
        default: "command 0x" + String(rawValue, radix: 16)
        }
    }
}

/// [MS-SMB2] 2.2.1.2 header Flags.
struct SMB2HeaderFlags: OptionSet, Hashable, Sendable {
    var rawValue: UInt32

    static let serverToRedir = SMB2HeaderFlags(rawValue: 0x0000_0001)
    static let asyncCommand = SMB2HeaderFlags(rawValue: 0x0000_0002)
    static let relatedOperations = SMB2HeaderFlags(rawValue: 0x0000_0004)
    static let signed = SMB2HeaderFlags(rawValue: 0x0000_0008)
    static let dfsOperations = SMB2HeaderFlags(rawValue: 0x1000_0000)
    static let replayOperation = SMB2HeaderFlags(rawValue: 0x2000_0000)
}

/// [MS-SMB2] 2.2.1 SMB2 Packet Header, sync (2.2.1.2) and async (2.2.1.1) forms.
///
/// The async form replaces Reserved+TreeId by an 8-byte AsyncId; it only appears in responses
/// (interim STATUS_PENDING and the final answer to an async operation).
struct SMB2Header: Hashable, Sendable {
    static let size = 64
    static let protocolID: [UInt8] = [0xFE, 0x53, 0x4D, 0x42]  // 0xFE 'S' 'M' 'B'
    /// Byte offset of the 16-byte Signature field.
    static let signatureOffset = 48
    /// Byte offset of the Flags field.
    static let flagsOffset = 16
    /// Byte offset of the NextCommand field.
    static let nextCommandOffset = 20

    var creditCharge: UInt16 = 0
    /// In requests this is ChannelSequence/Reserved; zero for us.
    var status: NTStatus = .success
    var command: SMB2Command
    /// CreditRequest in requests, CreditResponse (granted) in responses.
    var credits: UInt16 = 0
    var flags: SMB2HeaderFlags = []
    var nextCommand: UInt32 = 0
    var messageID: UInt64 = 0
    var treeID: UInt32 = 0
    var asyncID: UInt64 = 0
    var sessionID: UInt64 = 0
    var signature: [UInt8] = Array(repeating: 0, count: 16)

    init(command: SMB2Command) {
        self.command = command
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeBytes(Self.protocolID)
        buffer.writeLE(UInt16(64))
        buffer.writeLE(creditCharge)
        buffer.writeLE(status.rawValue)
        buffer.writeLE(command.rawValue)
        buffer.writeLE(credits)
        buffer.writeLE(flags.rawValue)
        buffer.writeLE(nextCommand)
        buffer.writeLE(messageID)
        if flags.contains(.asyncCommand) {
            buffer.writeLE(asyncID)
        } else {
            buffer.writeLE(UInt32(0))
            buffer.writeLE(treeID)
        }
        buffer.writeLE(sessionID)
        buffer.writeBytes(signature.count == 16 ? signature : Array(repeating: 0, count: 16))
    }

    /// Decodes the 64-byte header at the start of `message`.
    static func decode(from message: ByteBuffer) throws -> SMB2Header {
        var reader = WireReader(message, what: "SMB2 header")
        let magic = try reader.bytes(4)
        guard magic == protocolID else {
            throw SMB2Error.protocolError("not an SMB2 message (bad ProtocolId)")
        }
        try reader.expectStructureSize(64)
        var header = SMB2Header(command: .negotiate)
        header.creditCharge = try reader.u16()
        header.status = NTStatus(rawValue: try reader.u32())
        header.command = SMB2Command(rawValue: try reader.u16())
        header.credits = try reader.u16()
        header.flags = SMB2HeaderFlags(rawValue: try reader.u32())
        header.nextCommand = try reader.u32()
        header.messageID = try reader.u64()
        if header.flags.contains(.asyncCommand) {
            header.asyncID = try reader.u64()
        } else {
            try reader.skip(4)
            header.treeID = try reader.u32()
        }
        header.sessionID = try reader.u64()
        header.signature = try reader.bytes(16)
        return header
    }
}

/// [MS-SMB2] 2.2.2 SMB2 ERROR Response. Only its presence matters to us; the error data
/// (symlink or buffer-too-small contexts) is checked for consistency and otherwise ignored.
struct SMB2ErrorResponse: Hashable, Sendable {
    var errorContextCount: UInt8
    var errorData: [UInt8]

    static func decode(from message: ByteBuffer) throws -> SMB2ErrorResponse {
        var reader = WireReader(message, offset: SMB2Header.size, what: "SMB2 ERROR response")
        try reader.expectStructureSize(9)
        let contextCount = try reader.u8()
        try reader.skip(1)
        let byteCount = try reader.u32()
        guard byteCount <= UInt32(reader.remaining) else {
            throw SMB2Error.protocolError("SMB2 ERROR response ByteCount exceeds the message")
        }
        return SMB2ErrorResponse(errorContextCount: contextCount, errorData: try reader.bytes(Int(byteCount)))
    }

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeLE(UInt16(9))
        buffer.writeLE(errorContextCount)
        buffer.writeLE(UInt8(0))
        buffer.writeLE(UInt32(errorData.count))
        if errorData.isEmpty {
            buffer.writeLE(UInt8(0))  // 2.2.2: one byte of ErrorData when ByteCount is zero
        } else {
            buffer.writeBytes(errorData)
        }
    }
}
