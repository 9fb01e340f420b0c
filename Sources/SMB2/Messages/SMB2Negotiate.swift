import NIOCore

/// [MS-SMB2] 2.2.3 SecurityMode bits (NEGOTIATE and SESSION_SETUP).
struct SMB2SecurityMode: OptionSet, Hashable, Sendable {
    var rawValue: UInt16
    static let signingEnabled = SMB2SecurityMode(rawValue: 0x0001)
    static let signingRequired = SMB2SecurityMode(rawValue: 0x0002)
}

/// [MS-SMB2] 2.2.3 Capabilities.
struct SMB2Capabilities: OptionSet, Hashable, Sendable {
    var rawValue: UInt32
    static let dfs = SMB2Capabilities(rawValue: 0x01)
    static let leasing = SMB2Capabilities(rawValue: 0x02)
    static let largeMTU = SMB2Capabilities(rawValue: 0x04)
    static let multiChannel = SMB2Capabilities(rawValue: 0x08)
    static let persistentHandles = SMB2Capabilities(rawValue: 0x10)
    static let directoryLeasing = SMB2Capabilities(rawValue: 0x20)
    static let encryption = SMB2Capabilities(rawValue: 0x40)
}

/// [MS-SMB2] 2.2.3.1 negotiate contexts (SMB 3.1.1 only).
enum SMB2NegotiateContext: Hashable, Sendable {
    /// 2.2.3.1.1: hash algorithm ids (1 = SHA-512) and salt.
    case preauthIntegrity(hashAlgorithms: [UInt16], salt: [UInt8])
    /// 2.2.3.1.2: cipher ids in preference order.
    case encryption(ciphers: [UInt16])
    /// 2.2.3.1.7: signing algorithm ids in preference order.
    case signing(algorithms: [UInt16])
    /// Any other context, kept raw (compression, netname, transport, RDMA …).
    case other(type: UInt16, data: [UInt8])

    static let sha512: UInt16 = 0x0001

    var type: UInt16 {
        switch self {
        case .preauthIntegrity: 0x0001
        case .encryption: 0x0002
        case .signing: 0x0008
        case .other(let type, _): type
        }
    }

    func encodeData() -> [UInt8] {
        var buffer = ByteBuffer()
        switch self {
        case .preauthIntegrity(let algorithms, let salt):
            buffer.writeLE(UInt16(algorithms.count))
            buffer.writeLE(UInt16(salt.count))
            for algorithm in algorithms { buffer.writeLE(algorithm) }
            buffer.writeBytes(salt)
        case .encryption(let ids), .signing(let ids):
            buffer.writeLE(UInt16(ids.count))
            for id in ids { buffer.writeLE(id) }
        case .other(_, let data):
            buffer.writeBytes(data)
        }
        return Array(buffer.readableBytesView)
    }

    static func decode(type: UInt16, data: [UInt8]) throws -> SMB2NegotiateContext {
        var reader = WireReader(bytes: data, what: "negotiate context 0x\(String(type, radix: 16))")
        switch type {
        case 0x0001:
            let count = Int(try reader.u16())
            let saltLength = Int(try reader.u16())
            var algorithms: [UInt16] = []
            for _ in 0..<count { algorithms.append(try reader.u16()) }
            return .preauthIntegrity(hashAlgorithms: algorithms, salt: try reader.bytes(saltLength))
        case 0x0002, 0x0008:
            let count = Int(try reader.u16())
            var ids: [UInt16] = []
            for _ in 0..<count { ids.append(try reader.u16()) }
            return type == 0x0002 ? .encryption(ciphers: ids) : .signing(algorithms: ids)
        default:
            return .other(type: type, data: data)
        }
    }

    /// Encodes a list of contexts, each 8-byte aligned ([MS-SMB2] 2.2.3.1). The caller has
    /// already aligned `buffer` (whose index 0 is the SMB2 header start).
    static func encode(_ contexts: [SMB2NegotiateContext], into buffer: inout ByteBuffer) {
        for (index, context) in contexts.enumerated() {
            if index > 0 { buffer.padTo(alignment: 8) }
            let data = context.encodeData()
            buffer.writeLE(context.type)
            buffer.writeLE(UInt16(data.count))
            buffer.writeLE(UInt32(0))
            buffer.writeBytes(data)
        }
    }

    /// Decodes `count` contexts starting at `offset` of `message` (offsets from header start).
    static func decodeList(from reader: WireReader, offset: Int, count: Int) throws
        -> [SMB2NegotiateContext]
    {
        guard count <= 64 else {
            throw SMB2Error.protocolError("NEGOTIATE response has \(count) negotiate contexts")
        }
        var contexts: [SMB2NegotiateContext] = []
        var position = offset
        for index in 0..<count {
            if index > 0 { position = (position + 7) & ~7 }
            let type = try reader.integer(at: position, UInt16.self)
            let length = Int(try reader.integer(at: position + 2, UInt16.self))
            let data = try reader.bytes(at: position + 8, count: length)
            contexts.append(try decode(type: type, data: data))
            position += 8 + length
        }
        return contexts
    }
}

/// [MS-SMB2] 2.2.3 SMB2 NEGOTIATE Request.
struct SMB2NegotiateRequest: Hashable, Sendable {
    var dialects: [SMB2Dialect]
    var securityMode: SMB2SecurityMode
    var capabilities: SMB2Capabilities
    var clientGUID: [UInt8]
    var contexts: [SMB2NegotiateContext]

    /// Encodes the body; `buffer` index 0 must be the SMB2 header start (offsets depend on it).
    func encode(into buffer: inout ByteBuffer) {
        let start = buffer.writerIndex
        buffer.writeLE(UInt16(36))
        buffer.writeLE(UInt16(dialects.count))
        buffer.writeLE(securityMode.rawValue)
        buffer.writeLE(UInt16(0))
        buffer.writeLE(capabilities.rawValue)
        buffer.writeBytes(clientGUID.count == 16 ? clientGUID : Array(repeating: 0, count: 16))
        let contextFieldsIndex = buffer.writerIndex
        buffer.writeLE(UInt64(0))  // NegotiateContextOffset/Count/Reserved2 or ClientStartTime
        for dialect in dialects { buffer.writeLE(dialect.rawValue) }
        if dialects.contains(.smb311) && !contexts.isEmpty {
            buffer.padTo(alignment: 8)
            let contextOffset = buffer.writerIndex - start + SMB2Header.size
            SMB2NegotiateContext.encode(contexts, into: &buffer)
            buffer.setLE(UInt32(contextOffset), at: contextFieldsIndex)
            buffer.setLE(UInt16(contexts.count), at: contextFieldsIndex + 4)
        }
    }
}

/// [MS-SMB2] 2.2.4 SMB2 NEGOTIATE Response.
struct SMB2NegotiateResponse: Hashable, Sendable {
    var securityMode: SMB2SecurityMode
    var dialect: SMB2Dialect
    var serverGUID: [UInt8]
    var capabilities: SMB2Capabilities
    var maxTransactSize: UInt32
    var maxReadSize: UInt32
    var maxWriteSize: UInt32
    var systemTime: UInt64
    var serverStartTime: UInt64
    var securityBuffer: [UInt8]
    var contexts: [SMB2NegotiateContext]

    static func decode(from message: ByteBuffer) throws -> SMB2NegotiateResponse {
        var reader = WireReader(message, offset: SMB2Header.size, what: "NEGOTIATE response")
        try reader.expectStructureSize(65)
        let securityMode = SMB2SecurityMode(rawValue: try reader.u16())
        let dialect = SMB2Dialect(rawValue: try reader.u16())
        let contextCount = Int(try reader.u16())
        let guid = try reader.bytes(16)
        let capabilities = SMB2Capabilities(rawValue: try reader.u32())
        let maxTransact = try reader.u32()
        let maxRead = try reader.u32()
        let maxWrite = try reader.u32()
        let systemTime = try reader.u64()
        let startTime = try reader.u64()
        let securityOffset = Int(try reader.u16())
        let securityLength = Int(try reader.u16())
        let contextOffset = Int(try reader.u32())
        let security =
            securityLength == 0 ? [] : try reader.bytes(at: securityOffset, count: securityLength)
        var contexts: [SMB2NegotiateContext] = []
        if dialect == .smb311 {
            contexts = try SMB2NegotiateContext.decodeList(
                from: reader, offset: contextOffset, count: contextCount)
        }
        return SMB2NegotiateResponse(
            securityMode: securityMode, dialect: dialect, serverGUID: guid, capabilities: capabilities,
            maxTransactSize: maxTransact, maxReadSize: maxRead, maxWriteSize: maxWrite,
            systemTime: systemTime, serverStartTime: startTime, securityBuffer: security,
            contexts: contexts)
    }
}
