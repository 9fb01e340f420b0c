import NIOCore

/// [MS-SMB2] 2.2.19 SMB2 READ Request: `length` bytes at `offset` of an open file.
struct SMB2ReadRequest: Hashable, Sendable {
    var fileID: SMB2FileID
    var offset: UInt64
    var length: UInt32

    func encode(into buffer: inout ByteBuffer) {
        buffer.writeLE(UInt16(49))
        // Padding: where we would like the data in the response (after the 16-byte body).
        buffer.writeLE(UInt8(SMB2Header.size + 16))
        buffer.writeLE(UInt8(0))  // Flags
        buffer.writeLE(length)
        buffer.writeLE(offset)
        fileID.encode(into: &buffer)
        buffer.writeLE(UInt32(0))  // MinimumCount
        buffer.writeLE(UInt32(0))  // Channel: none
        buffer.writeLE(UInt32(0))  // RemainingBytes
        buffer.writeLE(UInt16(0))  // ReadChannelInfoOffset
        buffer.writeLE(UInt16(0))  // ReadChannelInfoLength
        buffer.writeLE(UInt8(0))  // Buffer: one byte, as 2.2.19 requires
    }
}

/// [MS-SMB2] 2.2.20 SMB2 READ Response: the data, never more than was asked for.
struct SMB2ReadResponse: Hashable, Sendable {
    var data: [UInt8]

    static func decode(from message: ByteBuffer, maxLength: UInt32) throws -> SMB2ReadResponse {
        var reader = WireReader(message, offset: SMB2Header.size, what: "READ response")
        try reader.expectStructureSize(17)
        let offset = Int(try reader.u8())
        try reader.skip(1)
        let length = try reader.u32()
        guard length <= maxLength else {
            throw SMB2Error.protocolError("READ response carries \(length) bytes, more than the \(maxLength) asked for")
        }
        guard length > 0 else { return SMB2ReadResponse(data: []) }
        var slice = try reader.slice(at: offset, count: Int(length))
        return SMB2ReadResponse(data: slice.readBytes(length: slice.readableBytes) ?? [])
    }
}

extension SMB2CreateRequest {
    /// [MS-SMB2] 2.2.13: FILE_READ_DATA, FILE_READ_ATTRIBUTES, SYNCHRONIZE; CreateOptions
    /// FILE_NON_DIRECTORY_FILE.
    static let fileReadData: UInt32 = 0x0000_0001
    static let fileNonDirectoryFile: UInt32 = 0x0000_0040

    /// Opens a file for reading, sharing read, write and delete so a writer (SQL Server still
    /// writing the backup, a copy job) is never disturbed.
    static func openFileForReading(_ name: String) -> SMB2CreateRequest {
        SMB2CreateRequest(
            name: name, desiredAccess: fileReadData | fileReadAttributes | synchronize,
            shareAccess: shareReadWriteDelete, createDisposition: fileOpen, createOptions: fileNonDirectoryFile)
    }
}
