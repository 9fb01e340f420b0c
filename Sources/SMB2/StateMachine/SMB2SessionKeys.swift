import Crypto
import NIOCore

/// The keys of one authenticated session ([MS-SMB2] 3.2.5.3.1, 3.1.4.2).
struct SMB2SessionKeys: Sendable, Hashable {
    /// The first 16 bytes of the GSS session key (zero-padded if shorter).
    var sessionKey: [UInt8]
    var signing: [UInt8]
    /// Client-to-server key (Session.EncryptionKey); empty until derived.
    var encryption: [UInt8] = []
    /// Server-to-client key (Session.DecryptionKey); empty until derived.
    var decryption: [UInt8] = []
    /// What the cipher keys come from while they are not derived yet.
    private var pendingCipherKeys: CipherKeySource?

    private struct CipherKeySource: Sendable, Hashable {
        var dialect: SMB2Dialect
        var preauthHash: [UInt8]
    }

    /// Derives the signing key and, unless `deferCipherKeys`, the encryption and decryption
    /// keys. A session that never encrypts never needs those (a scan of unencrypted shares
    /// would derive two keys per outlet for nothing): `deriveCipherKeys()` derives them when
    /// the first message is encrypted or decrypted.
    init(sessionKey exported: [UInt8], dialect: SMB2Dialect, preauthHash: [UInt8], deferCipherKeys: Bool = false) {
        var key = Array(exported.prefix(16))
        key += Array(repeating: 0, count: 16 - key.count)
        sessionKey = key
        switch dialect {
        case .smb202, .smb210:
            signing = key
            return
        case .smb300, .smb302:
            signing = Self.kdf(key, "SMB2AESCMAC", Self.cString("SmbSign"))
        default:
            signing = Self.kdf(key, "SMBSigningKey", preauthHash)
        }
        pendingCipherKeys = CipherKeySource(dialect: dialect, preauthHash: preauthHash)
        if !deferCipherKeys { deriveCipherKeys() }
    }

    /// Derives the encryption and decryption keys if they are still pending (SMB 3.x only;
    /// 2.x has none, and they stay empty).
    mutating func deriveCipherKeys() {
        guard let source = pendingCipherKeys else { return }
        pendingCipherKeys = nil
        switch source.dialect {
        case .smb202, .smb210:
            return
        case .smb300, .smb302:
            encryption = Self.kdf(sessionKey, "SMB2AESCCM", Self.cString("ServerIn "))
            decryption = Self.kdf(sessionKey, "SMB2AESCCM", Self.cString("ServerOut"))
        default:
            encryption = Self.kdf(sessionKey, "SMBC2SCipherKey", source.preauthHash)
            decryption = Self.kdf(sessionKey, "SMBS2CCipherKey", source.preauthHash)
        }
    }

    /// Labels and the 3.0 contexts are NUL-terminated ASCII ([MS-SMB2] 3.1.4.2).
    static func cString(_ string: String) -> [UInt8] {
        Array(string.utf8) + [0]
    }

    private static func kdf(_ key: [UInt8], _ label: String, _ context: [UInt8]) -> [UInt8] {
        SP800108.deriveKey(key: key, label: cString(label), context: context, lengthInBits: 128)
    }

    static func sha512(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA512.hash(data: bytes))
    }
}

/// Signing and encryption of whole messages ([MS-SMB2] 3.1.4.1, 3.1.4.3, 3.1.5.1).
extension SMB2ConnectionStateMachine {
    /// Checks the signature of a response when one is required or present.
    func verifySignatureIfNeeded(_ message: ByteBuffer, header: SMB2Header, required: Bool) throws {
        let isSigned = header.flags.contains(.signed)
        guard isSigned || required else { return }
        guard isSigned else {
            throw SMB2Error.protocolError(
                "unsigned \(header.command) response on a signed session", status: header.status)
        }
        guard let signer else {
            // Signed before keys exist (e.g. an error during session setup): nothing to check.
            return
        }
        // The header was decoded from this message, so its 16-byte Signature field is there.
        let received = header.signature
        let valid = message.withUnsafeReadableBytes { signer.verify($0, expected: received) }
        guard valid else {
            throw SMB2Error.protocolError("bad signature on \(header.command) response", status: header.status)
        }
    }

    /// Wraps a message or compound chain in a TRANSFORM_HEADER ([MS-SMB2] 3.2.4.1.8).
    func encrypt(_ plaintext: ByteBuffer) throws -> ByteBuffer {
        guard let cipher, let keys, !keys.encryption.isEmpty else {
            throw SMB2Error.protocolError("encryption required but not negotiated")
        }
        var header = SMB2TransformHeader(
            nonce: configuration.randomBytes(cipher.nonceLength), originalMessageSize: UInt32(plaintext.readableBytes),
            sessionID: sessionID)
        let sealed = try SMB2Cipher.seal(
            algorithm: cipher.cryptoAlgorithm, key: keys.encryption, nonce: header.nonce,
            plaintext: Array(plaintext.readableBytesView), aad: header.associatedData)
        header.signature = sealed.tag
        var frame = ByteBuffer()
        header.encode(into: &frame)
        frame.writeBytes(sealed.ciphertext)
        return frame
    }

    /// Opens a TRANSFORM_HEADER frame ([MS-SMB2] 3.2.5.1.1.1); any failure is a protocol error.
    func decrypt(_ frame: ByteBuffer) throws -> ByteBuffer {
        let header = try SMB2TransformHeader.decode(from: frame)
        guard let cipher, let keys, !keys.decryption.isEmpty else {
            throw SMB2Error.protocolError("encrypted message received but encryption was not negotiated")
        }
        let ciphertextLength = frame.readableBytes - SMB2TransformHeader.size
        guard header.flags == SMB2TransformHeader.encryptedFlag, header.sessionID == sessionID,
            Int(header.originalMessageSize) == ciphertextLength, ciphertextLength >= SMB2Header.size
        else {
            throw SMB2Error.protocolError("TRANSFORM_HEADER does not match the session or the frame")
        }
        let ciphertext =
            frame.getBytes(at: frame.readerIndex + SMB2TransformHeader.size, length: ciphertextLength) ?? []
        let plaintext: [UInt8]
        do {
            plaintext = try SMB2Cipher.open(
                algorithm: cipher.cryptoAlgorithm, key: keys.decryption,
                nonce: Array(header.nonce.prefix(cipher.nonceLength)),
                ciphertext: ciphertext, tag: header.signature, aad: header.associatedData)
        } catch {
            throw SMB2Error.protocolError("decryption of a server message failed (bad key or tampering)")
        }
        return ByteBuffer(bytes: plaintext)
    }
}
