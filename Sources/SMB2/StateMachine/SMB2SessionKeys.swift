import Crypto
import NIOCore

/// The keys of one authenticated session ([MS-SMB2] 3.2.5.3.1, 3.1.4.2).
struct SMB2SessionKeys: Sendable, Hashable {
    /// The first 16 bytes of the GSS session key (zero-padded if shorter).
    var sessionKey: [UInt8]
    var signing: [UInt8]
    /// Client-to-server key (Session.EncryptionKey).
    var encryption: [UInt8]
    /// Server-to-client key (Session.DecryptionKey).
    var decryption: [UInt8]

    init(sessionKey exported: [UInt8], dialect: SMB2Dialect, preauthHash: [UInt8]) {
        var key = Array(exported.prefix(16))
        key += Array(repeating: 0, count: 16 - key.count)
        sessionKey = key
        switch dialect {
        case .smb202, .smb210:
            signing = key
            encryption = []
            decryption = []
        case .smb300, .smb302:
            signing = Self.kdf(key, "SMB2AESCMAC", Self.cString("SmbSign"))
            encryption = Self.kdf(key, "SMB2AESCCM", Self.cString("ServerIn "))
            decryption = Self.kdf(key, "SMB2AESCCM", Self.cString("ServerOut"))
        default:
            signing = Self.kdf(key, "SMBSigningKey", preauthHash)
            encryption = Self.kdf(key, "SMBC2SCipherKey", preauthHash)
            decryption = Self.kdf(key, "SMBS2CCipherKey", preauthHash)
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
        guard let keys else {
            // Signed before keys exist (e.g. an error during session setup): nothing to check.
            return
        }
        var bytes = Array(message.readableBytesView)
        let received = Array(bytes[SMB2Header.signatureOffset..<(SMB2Header.signatureOffset + 16)])
        for index in SMB2Header.signatureOffset..<(SMB2Header.signatureOffset + 16) { bytes[index] = 0 }
        let expected = SMB2Signing.signature(
            algorithm: signingAlgorithm.cryptoAlgorithm, key: keys.signing, message: bytes)
        var difference: UInt8 = 0
        for (left, right) in zip(expected, received) { difference |= left ^ right }
        guard difference == 0, expected.count == 16 else {
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
