import NIOCore

/// [MS-NLMP] 2.2.2.5 NEGOTIATE flags.
struct NTLMFlags: OptionSet, Hashable, Sendable {
    var rawValue: UInt32
    static let unicode = NTLMFlags(rawValue: 0x0000_0001)
    static let oem = NTLMFlags(rawValue: 0x0000_0002)
    static let requestTarget = NTLMFlags(rawValue: 0x0000_0004)
    static let sign = NTLMFlags(rawValue: 0x0000_0010)
    static let seal = NTLMFlags(rawValue: 0x0000_0020)
    static let ntlm = NTLMFlags(rawValue: 0x0000_0200)
    static let alwaysSign = NTLMFlags(rawValue: 0x0000_8000)
    static let extendedSessionSecurity = NTLMFlags(rawValue: 0x0008_0000)
    static let targetInfo = NTLMFlags(rawValue: 0x0080_0000)
    static let version = NTLMFlags(rawValue: 0x0200_0000)
    static let negotiate128 = NTLMFlags(rawValue: 0x2000_0000)
    static let keyExchange = NTLMFlags(rawValue: 0x4000_0000)
    static let negotiate56 = NTLMFlags(rawValue: 0x8000_0000)

    /// What this client asks for: NTLMv2 with extended session security, 128-bit keys, key
    /// exchange (so the session key is random, not derived from the password alone) and signing.
    static let client: NTLMFlags = [
        .unicode, .requestTarget, .sign, .seal, .ntlm, .alwaysSign, .extendedSessionSecurity,
        .targetInfo, .version, .negotiate128, .keyExchange, .negotiate56,
    ]
}

/// [MS-NLMP] 2.2.2.1 AV_PAIR identifiers.
enum NTLMAvID: UInt16, Sendable {
    case eol = 0
    case nbComputerName = 1
    case nbDomainName = 2
    case dnsComputerName = 3
    case dnsDomainName = 4
    case dnsTreeName = 5
    case flags = 6
    case timestamp = 7
    case singleHost = 8
    case targetName = 9
    case channelBindings = 10
}

/// A list of [MS-NLMP] 2.2.2.1 AV_PAIRs (the TargetInfo), kept in order with raw values.
struct NTLMTargetInfo: Hashable, Sendable {
    var pairs: [(id: UInt16, value: [UInt8])]

    static func == (lhs: NTLMTargetInfo, rhs: NTLMTargetInfo) -> Bool {
        lhs.pairs.map(\.id) == rhs.pairs.map(\.id) && lhs.pairs.map(\.value) == rhs.pairs.map(\.value)
    }

    func hash(into hasher: inout Hasher) {
        for pair in pairs {
            hasher.combine(pair.id)
            hasher.combine(pair.value)
        }
    }

    init(pairs: [(id: UInt16, value: [UInt8])] = []) {
        self.pairs = pairs
    }

    /// Parses until MsvAvEOL; a list without EOL is a protocol error.
    init(decoding bytes: [UInt8]) throws {
        var reader = WireReader(bytes: bytes, what: "NTLM target info")
        var pairs: [(id: UInt16, value: [UInt8])] = []
        while true {
            let id = try reader.u16()
            let length = Int(try reader.u16())
            if id == NTLMAvID.eol.rawValue { break }
            pairs.append((id, try reader.bytes(length)))
        }
        self.pairs = pairs
    }

    func value(_ id: NTLMAvID) -> [UInt8]? {
        pairs.first { $0.id == id.rawValue }?.value
    }

    mutating func set(_ id: NTLMAvID, _ value: [UInt8]) {
        if let index = pairs.firstIndex(where: { $0.id == id.rawValue }) {
            pairs[index].value = value
        } else {
            pairs.append((id.rawValue, value))
        }
    }

    func encoded() -> [UInt8] {
        var buffer = ByteBuffer()
        for pair in pairs {
            buffer.writeLE(pair.id)
            buffer.writeLE(UInt16(pair.value.count))
            buffer.writeBytes(pair.value)
        }
        buffer.writeLE(UInt32(0))  // MsvAvEOL
        return Array(buffer.readableBytesView)
    }
}

/// Shared framing of the three NTLMSSP messages ([MS-NLMP] 2.2.1).
enum NTLMMessage {
    static let signature: [UInt8] = Array("NTLMSSP".utf8) + [0]
    /// [MS-NLMP] 2.2.2.10 VERSION: Windows 10 (10.0.19041), NTLMSSP_REVISION_W2K3.
    static let version: [UInt8] = [10, 0, 0x61, 0x4A, 0, 0, 0, 0x0F]

    /// Reads an 8-byte (Len, MaxLen, Offset) field and returns the payload it points to.
    static func field(_ reader: inout WireReader) throws -> [UInt8] {
        let length = Int(try reader.u16())
        try reader.skip(2)
        let offset = Int(try reader.u32())
        return length == 0 ? [] : try reader.bytes(at: offset, count: length)
    }

    static func checkHeader(_ reader: inout WireReader, type: UInt32) throws {
        guard try reader.bytes(8) == signature, try reader.u32() == type else {
            throw SMB2Error.protocolError("not an NTLMSSP message of type \(type)")
        }
    }
}

/// [MS-NLMP] 2.2.1.1 NEGOTIATE_MESSAGE (no domain or workstation supplied).
struct NTLMNegotiateMessage: Hashable, Sendable {
    var flags: NTLMFlags = .client

    func encoded() -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeBytes(NTLMMessage.signature)
        buffer.writeLE(UInt32(1))
        buffer.writeLE(flags.rawValue)
        buffer.writeLE(UInt64(0))  // DomainNameFields
        buffer.writeLE(UInt64(0))  // WorkstationFields
        buffer.writeBytes(NTLMMessage.version)
        return Array(buffer.readableBytesView)
    }

    init(flags: NTLMFlags = .client) {
        self.flags = flags
    }

    init(decoding bytes: [UInt8]) throws {
        var reader = WireReader(bytes: bytes, what: "NTLM NEGOTIATE")
        try NTLMMessage.checkHeader(&reader, type: 1)
        flags = NTLMFlags(rawValue: try reader.u32())
    }
}

/// [MS-NLMP] 2.2.1.2 CHALLENGE_MESSAGE.
struct NTLMChallengeMessage: Hashable, Sendable {
    var targetName: [UInt8]
    var flags: NTLMFlags
    var serverChallenge: [UInt8]
    var targetInfo: NTLMTargetInfo

    init(targetName: [UInt8], flags: NTLMFlags, serverChallenge: [UInt8], targetInfo: NTLMTargetInfo) {
        self.targetName = targetName
        self.flags = flags
        self.serverChallenge = serverChallenge
        self.targetInfo = targetInfo
    }

    init(decoding bytes: [UInt8]) throws {
        var reader = WireReader(bytes: bytes, what: "NTLM CHALLENGE")
        try NTLMMessage.checkHeader(&reader, type: 2)
        targetName = try NTLMMessage.field(&reader)
        flags = NTLMFlags(rawValue: try reader.u32())
        serverChallenge = try reader.bytes(8)
        try reader.skip(8)
        let info = try NTLMMessage.field(&reader)
        targetInfo = try NTLMTargetInfo(decoding: info)
    }

    func encoded() -> [UInt8] {
        let info = targetInfo.encoded()
        var buffer = ByteBuffer()
        buffer.writeBytes(NTLMMessage.signature)
        buffer.writeLE(UInt32(2))
        let payloadStart = 56
        buffer.writeLE(UInt16(targetName.count))
        buffer.writeLE(UInt16(targetName.count))
        buffer.writeLE(UInt32(payloadStart))
        buffer.writeLE(flags.rawValue)
        buffer.writeBytes(serverChallenge)
        buffer.writeLE(UInt64(0))
        buffer.writeLE(UInt16(info.count))
        buffer.writeLE(UInt16(info.count))
        buffer.writeLE(UInt32(payloadStart + targetName.count))
        buffer.writeBytes(NTLMMessage.version)
        buffer.writeBytes(targetName)
        buffer.writeBytes(info)
        return Array(buffer.readableBytesView)
    }
}

/// [MS-NLMP] 2.2.1.3 AUTHENTICATE_MESSAGE, with VERSION and a MIC field.
struct NTLMAuthenticateMessage: Hashable, Sendable {
    /// Offset of the MIC in the message (after the fixed fields and VERSION).
    static let micOffset = 72
    static let headerSize = 88

    var lmChallengeResponse: [UInt8]
    var ntChallengeResponse: [UInt8]
    var domain: String
    var user: String
    var workstation: String
    var encryptedRandomSessionKey: [UInt8]
    var flags: NTLMFlags
    var mic: [UInt8] = Array(repeating: 0, count: 16)

    func encoded() -> [UInt8] {
        let fields: [[UInt8]] = [
            lmChallengeResponse, ntChallengeResponse, UTF16LE.encode(domain), UTF16LE.encode(user),
            UTF16LE.encode(workstation), encryptedRandomSessionKey,
        ]
        var buffer = ByteBuffer()
        buffer.writeBytes(NTLMMessage.signature)
        buffer.writeLE(UInt32(3))
        var offset = Self.headerSize
        for field in fields {
            buffer.writeLE(UInt16(field.count))
            buffer.writeLE(UInt16(field.count))
            buffer.writeLE(UInt32(offset))
            offset += field.count
        }
        buffer.writeLE(flags.rawValue)
        buffer.writeBytes(NTLMMessage.version)
        buffer.writeBytes(mic.count == 16 ? mic : Array(repeating: 0, count: 16))
        for field in fields { buffer.writeBytes(field) }
        return Array(buffer.readableBytesView)
    }

    init(
        lmChallengeResponse: [UInt8], ntChallengeResponse: [UInt8], domain: String, user: String,
        workstation: String, encryptedRandomSessionKey: [UInt8], flags: NTLMFlags
    ) {
        self.lmChallengeResponse = lmChallengeResponse
        self.ntChallengeResponse = ntChallengeResponse
        self.domain = domain
        self.user = user
        self.workstation = workstation
        self.encryptedRandomSessionKey = encryptedRandomSessionKey
        self.flags = flags
    }

    init(decoding bytes: [UInt8]) throws {
        var reader = WireReader(bytes: bytes, what: "NTLM AUTHENTICATE")
        try NTLMMessage.checkHeader(&reader, type: 3)
        lmChallengeResponse = try NTLMMessage.field(&reader)
        ntChallengeResponse = try NTLMMessage.field(&reader)
        domain = try UTF16LE.decode(try NTLMMessage.field(&reader), what: "NTLM domain")
        user = try UTF16LE.decode(try NTLMMessage.field(&reader), what: "NTLM user")
        workstation = try UTF16LE.decode(try NTLMMessage.field(&reader), what: "NTLM workstation")
        encryptedRandomSessionKey = try NTLMMessage.field(&reader)
        flags = NTLMFlags(rawValue: try reader.u32())
        try reader.skip(8)
        mic = try reader.bytes(16)
    }
}
