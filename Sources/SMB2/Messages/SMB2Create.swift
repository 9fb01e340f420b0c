import NIOCore

/// [MS-SMB2] 2.2.14.1 SMB2_FILEID: persistent and volatile halves.
struct SMB2FileID: Hashable, Sendable {
    var persistent: UInt64
    var volatile: UInt64

    /// The FileId that means "the handle created by the previous operation in this compound
    /// chain" ([MS-SMB2] 3.2.4.1.4).
    static let related = SMB2FileID(persistent: .max, volatile: .max)

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeLE(persistent)
        buffer.writeLE(volatile)
    }

    static func decode(from reader: inout WireReader) throws -> SMB2FileID {
        SMB2FileID(persistent: try reader.u64(), volatile: try reader.u64())
    }
}

/// [MS-SMB2] 2.2.13 SMB2 CREATE Request, reduced to what opening a directory for listing
/// needs: no create contexts, no oplock.
struct SMB2CreateRequest: Hashable, Sendable {
    /// [MS-SMB2] 2.2.13.1.1/2.2.13.1.2 access mask bits.
    static let fileListDirectory: UInt32 = 0x0000_0001
    static let fileReadAttributes: UInt32 = 0x0000_0080
    static let synchronize: UInt32 = 0x0010_0000
    /// ShareAccess bits.
    static let shareReadWriteDelete: UInt32 = 0x0000_0007
    /// CreateDisposition FILE_OPEN.
    static let fileOpen: UInt32 = 0x0000_0001
    /// CreateOptions FILE_DIRECTORY_FILE.
    static let fileDirectoryFile: UInt32 = 0x0000_0001
    /// ImpersonationLevel Impersonation.
    static let impersonation: UInt32 = 0x0000_0002

    /// Path relative to the share root with backslashes and no leading separator; "" = root.
    var name: String
    var desiredAccess: UInt32 = fileListDirectory | fileReadAttributes | synchronize
    var fileAttributes: UInt32 = 0
    var shareAccess: UInt32 = shareReadWriteDelete
    var createDisposition: UInt32 = fileOpen
    var createOptions: UInt32 = fileDirectoryFile

    /// Opens `name` as a directory for listing.
    static func openDirectory(_ name: String) -> SMB2CreateRequest {
        SMB2CreateRequest(name: name)
    }

    func encode(into buffer: inout ByteBuffer) {
        let nameBytes = UTF16LE.encode(name)
        buffer.writeLE(UInt16(57))
        buffer.writeLE(UInt8(0))  // SecurityFlags
        buffer.writeLE(UInt8(0))  // RequestedOplockLevel: none
        buffer.writeLE(Self.impersonation)
        buffer.writeLE(UInt64(0))  // SmbCreateFlags
        buffer.writeLE(UInt64(0))  // Reserved
        buffer.writeLE(desiredAccess)
        buffer.writeLE(fileAttributes)
        buffer.writeLE(shareAccess)
        buffer.writeLE(createDisposition)
        buffer.writeLE(createOptions)
        buffer.writeLE(UInt16(SMB2Header.size + 56))
        buffer.writeLE(UInt16(nameBytes.count))
        buffer.writeLE(UInt32(0))  // CreateContextsOffset
        buffer.writeLE(UInt32(0))  // CreateContextsLength
        // 2.2.13: the Buffer must be at least one byte long even for an empty name.
        buffer.writeBytes(nameBytes.isEmpty ? [0] : nameBytes)
    }
}

/// [MS-SMB2] 2.2.14 SMB2 CREATE Response (fixed part; create contexts are not requested and
/// ignored if present).
struct SMB2CreateResponse: Hashable, Sendable {
    var createAction: UInt32
    var creationTime: UInt64
    var lastAccessTime: UInt64
    var lastWriteTime: UInt64
    var changeTime: UInt64
    var allocationSize: UInt64
    var endOfFile: UInt64
    var fileAttributes: UInt32
    var fileID: SMB2FileID

    static func decode(from message: ByteBuffer) throws -> SMB2CreateResponse {
        var reader = WireReader(message, offset: SMB2Header.size, what: "CREATE response")
        try reader.expectStructureSize(89)
        try reader.skip(2)  // OplockLevel, Flags
        let action = try reader.u32()
        let creation = try reader.u64()
        let access = try reader.u64()
        let write = try reader.u64()
        let change = try reader.u64()
        let allocation = try reader.u64()
        let eof = try reader.u64()
        let attributes = try reader.u32()
        try reader.skip(4)
        let fileID = try SMB2FileID.decode(from: &reader)
        let contextsOffset = Int(try reader.u32())
        let contextsLength = Int(try reader.u32())
        if contextsLength > 0 {
            _ = try reader.slice(at: contextsOffset, count: contextsLength)  // bounds check only
        }
        return SMB2CreateResponse(
            createAction: action, creationTime: creation, lastAccessTime: access,
            lastWriteTime: write, changeTime: change, allocationSize: allocation, endOfFile: eof,
            fileAttributes: attributes, fileID: fileID)
    }
}

/// [MS-SMB2] 2.2.15 SMB2 CLOSE Request.
struct SMB2CloseRequest: Hashable, Sendable {
    var fileID: SMB2FileID

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeLE(UInt16(24))
        buffer.writeLE(UInt16(0))  // Flags: no POSTQUERY_ATTRIB
        buffer.writeLE(UInt32(0))
        fileID.encode(into: &buffer)
    }
}

/// [MS-SMB2] 2.2.16 SMB2 CLOSE Response (attributes are only valid with POSTQUERY_ATTRIB,
/// which we do not ask for; only the structure is validated).
struct SMB2CloseResponse: Hashable, Sendable {
    static func decode(from message: ByteBuffer) throws -> SMB2CloseResponse {
        var reader = WireReader(message, offset: SMB2Header.size, what: "CLOSE response")
        try reader.expectStructureSize(60)
        try reader.skip(58)
        return SMB2CloseResponse()
    }
}
