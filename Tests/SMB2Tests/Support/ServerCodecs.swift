import NIOCore

@testable import SMB2

// The server's side of the wire messages, for the test servers (FakeServer, the hostile
// servers): the client only encodes requests and decodes responses, so these live with the
// tests, as postgres-nio keeps its reverse codecs in Tests.

extension SMB2CreateRequest {
    static func decode(from message: ByteBuffer) throws -> SMB2CreateRequest {
        var reader = WireReader(message, offset: SMB2Header.size, what: "CREATE request")
        try reader.expectStructureSize(57)
        try reader.skip(2 + 4 + 8 + 8)
        var request = SMB2CreateRequest(name: "")
        request.desiredAccess = try reader.u32()
        request.fileAttributes = try reader.u32()
        request.shareAccess = try reader.u32()
        request.createDisposition = try reader.u32()
        request.createOptions = try reader.u32()
        let offset = Int(try reader.u16())
        let length = Int(try reader.u16())
        request.name = try reader.utf16String(at: offset, byteCount: length)
        return request
    }
}

extension SMB2CreateResponse {
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeLE(UInt16(89))
        buffer.writeLE(UInt16(0))
        buffer.writeLE(createAction)
        for time in [creationTime, lastAccessTime, lastWriteTime, changeTime] { buffer.writeLE(time) }
        buffer.writeLE(allocationSize)
        buffer.writeLE(endOfFile)
        buffer.writeLE(fileAttributes)
        buffer.writeLE(UInt32(0))
        fileID.encode(into: &buffer)
        buffer.writeLE(UInt32(0))
        buffer.writeLE(UInt32(0))
    }
}

extension SMB2CloseRequest {
    static func decode(from message: ByteBuffer) throws -> SMB2CloseRequest {
        var reader = WireReader(message, offset: SMB2Header.size, what: "CLOSE request")
        try reader.expectStructureSize(24)
        try reader.skip(6)
        return SMB2CloseRequest(fileID: try SMB2FileID.decode(from: &reader))
    }
}

extension SMB2CloseResponse {
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeLE(UInt16(60))
        buffer.writeRepeatingByte(0, count: 58)
    }
}

extension SMB2NegotiateRequest {
    /// Decodes a request body (used by tests and by the fake server of the state-machine tests).
    static func decode(from message: ByteBuffer) throws -> SMB2NegotiateRequest {
        var reader = WireReader(message, offset: SMB2Header.size, what: "NEGOTIATE request")
        try reader.expectStructureSize(36)
        let count = Int(try reader.u16())
        let securityMode = SMB2SecurityMode(rawValue: try reader.u16())
        try reader.skip(2)
        let capabilities = SMB2Capabilities(rawValue: try reader.u32())
        let guid = try reader.bytes(16)
        let contextOffset = Int(try reader.u32())
        let contextCount = Int(try reader.u16())
        try reader.skip(2)
        var dialects: [SMB2Dialect] = []
        for _ in 0..<count { dialects.append(SMB2Dialect(rawValue: try reader.u16())) }
        var contexts: [SMB2NegotiateContext] = []
        if dialects.contains(.smb311) && contextCount > 0 {
            contexts = try SMB2NegotiateContext.decodeList(
                from: reader, offset: contextOffset, count: contextCount)
        }
        return SMB2NegotiateRequest(
            dialects: dialects, securityMode: securityMode, capabilities: capabilities,
            clientGUID: guid, contexts: contexts)
    }
}

extension SMB2NegotiateResponse {
    /// Encodes the body (tests build server answers with it).
    func encode(into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeLE(UInt16(65))
        buffer.writeLE(securityMode.rawValue)
        buffer.writeLE(dialect.rawValue)
        buffer.writeLE(UInt16(dialect == .smb311 ? contexts.count : 0))
        buffer.writeBytes(serverGUID.count == 16 ? serverGUID : Array(repeating: 0, count: 16))
        buffer.writeLE(capabilities.rawValue)
        buffer.writeLE(maxTransactSize)
        buffer.writeLE(maxReadSize)
        buffer.writeLE(maxWriteSize)
        buffer.writeLE(systemTime)
        buffer.writeLE(serverStartTime)
        buffer.writeLE(UInt16(SMB2Header.size + 64))
        buffer.writeLE(UInt16(securityBuffer.count))
        let contextOffsetIndex = buffer.writerIndex
        buffer.writeLE(UInt32(0))
        buffer.writeBytes(securityBuffer)
        if dialect == .smb311 && !contexts.isEmpty {
            buffer.padTo(alignment: 8)
            buffer.setLE(UInt32(buffer.writerIndex - start + SMB2Header.size), at: contextOffsetIndex)
            SMB2NegotiateContext.encode(contexts, into: &buffer)
        }
    }
}

extension SMB2QueryDirectoryRequest {
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

extension SMB2SessionSetupRequest {
    static func decode(from message: ByteBuffer) throws -> SMB2SessionSetupRequest {
        var reader = WireReader(message, offset: SMB2Header.size, what: "SESSION_SETUP request")
        try reader.expectStructureSize(25)
        try reader.skip(1)
        let mode = SMB2SecurityMode(rawValue: UInt16(try reader.u8()))
        let capabilities = SMB2Capabilities(rawValue: try reader.u32())
        try reader.skip(4)
        let offset = Int(try reader.u16())
        let length = Int(try reader.u16())
        let previous = try reader.u64()
        return SMB2SessionSetupRequest(
            securityMode: mode, capabilities: capabilities, previousSessionID: previous,
            securityBuffer: try reader.bytes(at: offset, count: length))
    }
}

extension SMB2SessionSetupResponse {
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeLE(UInt16(9))
        buffer.writeLE(sessionFlags.rawValue)
        buffer.writeLE(UInt16(SMB2Header.size + 8))
        buffer.writeLE(UInt16(securityBuffer.count))
        buffer.writeBytes(securityBuffer)
    }
}

extension SMB2TreeConnectRequest {
    static func decode(from message: ByteBuffer) throws -> SMB2TreeConnectRequest {
        var reader = WireReader(message, offset: SMB2Header.size, what: "TREE_CONNECT request")
        try reader.expectStructureSize(9)
        try reader.skip(2)
        let offset = Int(try reader.u16())
        let length = Int(try reader.u16())
        return SMB2TreeConnectRequest(path: try reader.utf16String(at: offset, byteCount: length))
    }
}

extension SMB2TreeConnectResponse {
    func encode(into buffer: inout ByteBuffer) {
        buffer.writeLE(UInt16(16))
        buffer.writeLE(shareType)
        buffer.writeLE(UInt8(0))
        buffer.writeLE(shareFlags.rawValue)
        buffer.writeLE(capabilities)
        buffer.writeLE(maximalAccess)
    }
}

extension SMB2QueryDirectoryResponse {
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
