import NIOCore

/// [MS-SMB2] 2.2.5 SMB2 SESSION_SETUP Request.
struct SMB2SessionSetupRequest: Hashable, Sendable {
    var securityMode: SMB2SecurityMode
    var capabilities: SMB2Capabilities = []
    var previousSessionID: UInt64 = 0
    var securityBuffer: [UInt8]

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeLE(UInt16(25))
        buffer.writeLE(UInt8(0))  // Flags: no SESSION_BINDING_REQUEST
        buffer.writeLE(UInt8(truncatingIfNeeded: securityMode.rawValue))
        buffer.writeLE(capabilities.rawValue)
        buffer.writeLE(UInt32(0))  // Channel
        buffer.writeLE(UInt16(SMB2Header.size + 24))
        buffer.writeLE(UInt16(securityBuffer.count))
        buffer.writeLE(previousSessionID)
        buffer.writeBytes(securityBuffer)
    }
}

/// [MS-SMB2] 2.2.6 SessionFlags.
struct SMB2SessionFlags: OptionSet, Hashable, Sendable {
    var rawValue: UInt16
    static let isGuest = SMB2SessionFlags(rawValue: 0x0001)
    static let isNull = SMB2SessionFlags(rawValue: 0x0002)
    static let encryptData = SMB2SessionFlags(rawValue: 0x0004)
}

/// [MS-SMB2] 2.2.6 SMB2 SESSION_SETUP Response.
struct SMB2SessionSetupResponse: Hashable, Sendable {
    var sessionFlags: SMB2SessionFlags
    var securityBuffer: [UInt8]

    static func decode(from message: ByteBuffer) throws -> SMB2SessionSetupResponse {
        var reader = WireReader(message, offset: SMB2Header.size, what: "SESSION_SETUP response")
        try reader.expectStructureSize(9)
        let flags = SMB2SessionFlags(rawValue: try reader.u16())
        let offset = Int(try reader.u16())
        let length = Int(try reader.u16())
        let security = length == 0 ? [] : try reader.bytes(at: offset, count: length)
        return SMB2SessionSetupResponse(sessionFlags: flags, securityBuffer: security)
    }
}

/// [MS-SMB2] 2.2.7/2.2.8 LOGOFF and 2.2.11/2.2.12 TREE_DISCONNECT: both directions are the
/// same 4-byte structure (StructureSize 4, Reserved).
struct SMB2EmptyBody: Hashable, Sendable {
    static func encode(into buffer: inout ByteBuffer) {
        buffer.writeLE(UInt16(4))
        buffer.writeLE(UInt16(0))
    }

    static func decode(from message: ByteBuffer, what: String) throws {
        var reader = WireReader(message, offset: SMB2Header.size, what: what)
        try reader.expectStructureSize(4)
        try reader.skip(2)
    }
}

/// [MS-SMB2] 2.2.9 SMB2 TREE_CONNECT Request. The path is "\\server\share" in UTF-16LE.
struct SMB2TreeConnectRequest: Hashable, Sendable {
    var path: String

    func encode(into buffer: inout ByteBuffer) {
        let name = UTF16LE.encode(path)
        buffer.writeLE(UInt16(9))
        buffer.writeLE(UInt16(0))
        buffer.writeLE(UInt16(SMB2Header.size + 8))
        buffer.writeLE(UInt16(name.count))
        buffer.writeBytes(name)
    }
}

/// [MS-SMB2] 2.2.10 ShareFlags (the bits we act on).
struct SMB2ShareFlags: OptionSet, Hashable, Sendable {
    var rawValue: UInt32
    static let dfs = SMB2ShareFlags(rawValue: 0x0000_0001)
    static let encryptData = SMB2ShareFlags(rawValue: 0x0000_8000)
}

/// [MS-SMB2] 2.2.10 SMB2 TREE_CONNECT Response.
struct SMB2TreeConnectResponse: Hashable, Sendable {
    /// 1 disk, 2 pipe, 3 print.
    var shareType: UInt8
    var shareFlags: SMB2ShareFlags
    var capabilities: UInt32
    var maximalAccess: UInt32

    static func decode(from message: ByteBuffer) throws -> SMB2TreeConnectResponse {
        var reader = WireReader(message, offset: SMB2Header.size, what: "TREE_CONNECT response")
        try reader.expectStructureSize(16)
        let type = try reader.u8()
        try reader.skip(1)
        return SMB2TreeConnectResponse(
            shareType: type, shareFlags: SMB2ShareFlags(rawValue: try reader.u32()),
            capabilities: try reader.u32(), maximalAccess: try reader.u32())
    }
}
