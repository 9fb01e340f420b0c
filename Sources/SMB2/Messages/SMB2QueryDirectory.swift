import NIOCore

/// [MS-FSCC] 2.4 FileInformationClass values used for listings.
enum SMB2FileInformationClass: UInt8, Hashable, Sendable {
    /// [MS-FSCC] 2.4.10 FileDirectoryInformation.
    case fileDirectoryInformation = 0x01
    /// [MS-FSCC] 2.4.17 FileIdBothDirectoryInformation.
    case fileIdBothDirectoryInformation = 0x25

    /// Offset of FileName within an entry.
    var fileNameOffset: Int {
        switch self {
        case .fileDirectoryInformation: 64
        case .fileIdBothDirectoryInformation: 104
        }
    }
}

/// [MS-SMB2] 2.2.33 SMB2 QUERY_DIRECTORY Request.
struct SMB2QueryDirectoryRequest: Hashable, Sendable {
    static let restartScans: UInt8 = 0x01

    var informationClass: SMB2FileInformationClass = .fileIdBothDirectoryInformation
    var flags: UInt8 = 0
    var fileID: SMB2FileID
    var pattern: String = "*"
    var outputBufferLength: UInt32 = 65_536

    func encode(into buffer: inout ByteBuffer) {
        let name = UTF16LE.encode(pattern)
        buffer.writeLE(UInt16(33))
        buffer.writeLE(informationClass.rawValue)
        buffer.writeLE(flags)
        buffer.writeLE(UInt32(0))  // FileIndex
        fileID.encode(into: &buffer)
        buffer.writeLE(UInt16(SMB2Header.size + 32))
        buffer.writeLE(UInt16(name.count))
        buffer.writeLE(outputBufferLength)
        buffer.writeBytes(name.isEmpty ? [0] : name)
    }

    static func decode(from message: ByteBuffer) throws -> SMB2QueryDirectoryRequest {
        var reader = WireReader(message, offset: SMB2Header.size, what: "QUERY_DIRECTORY request")
        try reader.expectStructureSize(33)
        guard let infoClass = SMB2FileInformationClass(rawValue: try reader.u8()) else {
            throw SMB2Error.protocolError("QUERY_DIRECTORY request with an unsupported class")
        }
        let flags = try reader.u8()
        try reader.skip(4)
        let fileID = try SMB2FileID.decode(from: &reader)
        let offset = Int(try reader.u16())
        let length = Int(try reader.u16())
        let output = try reader.u32()
        return SMB2QueryDirectoryRequest(
            informationClass: infoClass, flags: flags, fileID: fileID,
            pattern: try reader.utf16String(at: offset, byteCount: length), outputBufferLength: output)
    }
}

/// [MS-SMB2] 2.2.34 SMB2 QUERY_DIRECTORY Response: a buffer of chained entries.
struct SMB2QueryDirectoryResponse: Hashable, Sendable {
    var entries: [SMB2DirectoryEntry]

    /// Decodes the response and its entries. `maxOutput` is the OutputBufferLength we asked for:
    /// a server that returns more is broken or hostile.
    static func decode(
        from message: ByteBuffer, informationClass: SMB2FileInformationClass, maxOutput: UInt32
    ) throws -> SMB2QueryDirectoryResponse {
        var reader = WireReader(message, offset: SMB2Header.size, what: "QUERY_DIRECTORY response")
        try reader.expectStructureSize(9)
        let offset = Int(try reader.u16())
        let length = try reader.u32()
        guard length <= maxOutput else {
            throw SMB2Error.protocolError(
                "QUERY_DIRECTORY response returned \(length) bytes for a \(maxOutput)-byte buffer")
        }
        let data = length == 0 ? ByteBuffer() : try reader.slice(at: offset, count: Int(length))
        return SMB2QueryDirectoryResponse(
            entries: try decodeEntries(data, informationClass: informationClass))
    }

    /// Walks the NextEntryOffset chain ([MS-FSCC] 2.4.10/2.4.17). Each offset must move forward
    /// and stay inside the buffer, so a hostile chain cannot loop or read out of bounds.
    static func decodeEntries(_ data: ByteBuffer, informationClass: SMB2FileInformationClass)
        throws -> [SMB2DirectoryEntry]
    {
        let reader = WireReader(data, what: "directory entry")
        var entries: [SMB2DirectoryEntry] = []
        var position = 0
        let nameOffset = informationClass.fileNameOffset
        while position < reader.count {
            let next = Int(try reader.integer(at: position, UInt32.self))
            let creation = try reader.integer(at: position + 8, UInt64.self)
            let lastWrite = try reader.integer(at: position + 24, UInt64.self)
            let endOfFile = try reader.integer(at: position + 40, UInt64.self)
            let attributes = try reader.integer(at: position + 56, UInt32.self)
            let nameLength = Int(try reader.integer(at: position + 60, UInt32.self))
            guard nameLength <= 2 * 32_767, next == 0 || next >= nameOffset + nameLength else {
                throw SMB2Error.protocolError("directory entry has an inconsistent name length")
            }
            let name = try reader.utf16String(at: position + nameOffset, byteCount: nameLength)
            entries.append(
                SMB2DirectoryEntry(
                    name: name, lastWriteTime: SMB2FileTime(raw: lastWrite),
                    creationTime: SMB2FileTime(raw: creation), endOfFile: endOfFile,
                    attributes: SMB2FileAttributes(rawValue: attributes)))
            if next == 0 { break }
            // `next` is at least the fixed part plus the name, so the walk always moves forward;
            // it must also leave room for another entry inside the buffer.
            guard next < reader.count - position else {
                throw SMB2Error.protocolError("directory entry NextEntryOffset points past the buffer")
            }
            position += next
        }
        return entries
    }

    /// Encodes entries as a server would (tests use it to build responses).
    static func encodeEntries(
        _ entries: [SMB2DirectoryEntry], informationClass: SMB2FileInformationClass
    ) -> ByteBuffer {
        var buffer = ByteBuffer()
        for (index, entry) in entries.enumerated() {
            let start = buffer.writerIndex
            let name = UTF16LE.encode(entry.name)
            buffer.writeLE(UInt32(0))  // NextEntryOffset, patched below
            buffer.writeLE(UInt32(0))  // FileIndex
            buffer.writeLE(entry.creationTime.raw)
            buffer.writeLE(entry.lastWriteTime.raw)  // LastAccessTime
            buffer.writeLE(entry.lastWriteTime.raw)
            buffer.writeLE(entry.lastWriteTime.raw)  // ChangeTime
            buffer.writeLE(entry.endOfFile)
            buffer.writeLE((entry.endOfFile + 4095) / 4096 * 4096)
            buffer.writeLE(entry.attributes.rawValue)
            buffer.writeLE(UInt32(name.count))
            if informationClass == .fileIdBothDirectoryInformation {
                buffer.writeRepeatingByte(0, count: 4 + 1 + 1 + 24 + 2 + 8)
            }
            buffer.writeBytes(name)
            if index < entries.count - 1 {
                buffer.padTo(alignment: 8)
                buffer.setLE(UInt32(buffer.writerIndex - start), at: start)
            }
        }
        return buffer
    }

    func encode(into buffer: inout ByteBuffer, informationClass: SMB2FileInformationClass) {
        let data = Self.encodeEntries(entries, informationClass: informationClass)
        buffer.writeLE(UInt16(9))
        buffer.writeLE(UInt16(SMB2Header.size + 8))
        buffer.writeLE(UInt32(data.readableBytes))
        buffer.writeImmutableBuffer(data)
    }
}
