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
            let name = try reader.fileName(at: position + nameOffset, byteCount: nameLength)
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
}
