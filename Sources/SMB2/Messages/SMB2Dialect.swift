/// An SMB2/3 dialect revision ([MS-SMB2] 2.2.3 Dialects).
public struct SMB2Dialect: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    public static let smb202 = SMB2Dialect(rawValue: 0x0202)
    public static let smb210 = SMB2Dialect(rawValue: 0x0210)
    public static let smb300 = SMB2Dialect(rawValue: 0x0300)
    public static let smb302 = SMB2Dialect(rawValue: 0x0302)
    public static let smb311 = SMB2Dialect(rawValue: 0x0311)

    /// Every dialect this client speaks, oldest first.
    public static let all: [SMB2Dialect] = [.smb202, .smb210, .smb300, .smb302, .smb311]

    /// "2.0.2", "2.1", "3.0", "3.0.2", "3.1.1".
    public var description: String {
        switch self {
        case .smb202: "2.0.2"
        case .smb210: "2.1"
        case .smb300: "3.0"
        case .smb302: "3.0.2"
        case .smb311: "3.1.1"
        default: "0x" + String(rawValue, radix: 16)
        }
    }

    /// True for the SMB 3.x family (AES-CMAC signing, encryption, KDF-derived keys).
    public var isSMB3: Bool { rawValue >= 0x0300 }

    public static func < (lhs: SMB2Dialect, rhs: SMB2Dialect) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// The algorithm that signs messages of a session ([MS-SMB2] 2.2.3.1.7, 3.1.4.1).
public enum SMB2SigningAlgorithm: String, Hashable, Sendable, CustomStringConvertible {
    case hmacSHA256 = "HMAC-SHA256"
    case aesCMAC = "AES-128-CMAC"
    case aesGMAC = "AES-128-GMAC"

    /// [MS-SMB2] 2.2.3.1.7 SigningAlgorithms identifiers.
    init?(wireID: UInt16) {
        switch wireID {
        case 0: self = .hmacSHA256
        case 1: self = .aesCMAC
        case 2: self = .aesGMAC
        default: return nil
        }
    }

    var wireID: UInt16 {
        switch self {
        case .hmacSHA256: 0
        case .aesCMAC: 1
        case .aesGMAC: 2
        }
    }

    public var description: String { rawValue }
}

/// The cipher that encrypts messages of a session ([MS-SMB2] 2.2.3.1.2).
public enum SMB2EncryptionCipher: String, Hashable, Sendable, CustomStringConvertible {
    case aes128CCM = "AES-128-CCM"
    case aes128GCM = "AES-128-GCM"

    init?(wireID: UInt16) {
        switch wireID {
        case 1: self = .aes128CCM
        case 2: self = .aes128GCM
        default: return nil
        }
    }

    var wireID: UInt16 {
        switch self {
        case .aes128CCM: 1
        case .aes128GCM: 2
        }
    }

    /// Nonce length on the wire: 11 bytes for CCM, 12 for GCM ([MS-SMB2] 2.2.41).
    var nonceLength: Int {
        switch self {
        case .aes128CCM: 11
        case .aes128GCM: 12
        }
    }

    public var description: String { rawValue }
}
