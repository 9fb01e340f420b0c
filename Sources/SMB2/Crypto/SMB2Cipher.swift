import Crypto

/// SMB 3.x message encryption: the AEAD behind the SMB2 TRANSFORM_HEADER ([MS-SMB2] 2.2.41,
/// 3.1.4.3 encrypting, 3.2.5.1.1 / 3.3.5.2.1.1 decrypting).
///
/// The caller builds the TRANSFORM_HEADER; the AAD is that header from Nonce to the end
/// (32 bytes, i.e. without ProtocolId and Signature), and the tag goes into its Signature field.
enum SMB2Cipher {
    /// The cipher negotiated for the connection (Connection.CipherId; AES-128-CCM for 3.0/3.0.2).
    enum Algorithm: Sendable {
        /// AES-128-CCM, 11-byte nonce, 16-byte tag (cipher id 0x0001).
        case aes128CCM
        /// AES-128-GCM, 12-byte nonce, 16-byte tag (cipher id 0x0002).
        case aes128GCM
    }

    /// Length of the tag (the TRANSFORM_HEADER Signature) in bytes.
    static let tagLength = 16

    /// The nonce length of `algorithm`: the leading bytes of the TRANSFORM_HEADER's 16-byte
    /// Nonce field that the cipher uses (AES_CCM_Nonce / AES_GCM_Nonce, [MS-SMB2] 2.2.41).
    static func nonceLength(of algorithm: Algorithm) -> Int {
        switch algorithm {
        case .aes128CCM: 11
        case .aes128GCM: 12
        }
    }

    /// Encrypts an SMB2 message (header and payload).
    ///
    /// - Parameters:
    ///   - key: Session.EncryptionKey, 16 bytes.
    ///   - nonce: 11 bytes for CCM, 12 for GCM; never reused under one key.
    ///   - aad: the TRANSFORM_HEADER from Nonce to the end.
    /// - Returns: the ciphertext (as long as `plaintext`) and the 16-byte tag.
    static func seal(
        algorithm: Algorithm,
        key: [UInt8],
        nonce: [UInt8],
        plaintext: [UInt8],
        aad: [UInt8]
    ) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        try validate(algorithm: algorithm, key: key, nonce: nonce)
        switch algorithm {
        case .aes128CCM:
            return try AESCCM.seal(key: key, nonce: nonce, plaintext: plaintext, aad: aad, tagLength: tagLength)
        case .aes128GCM:
            let box = try AES.GCM.seal(
                plaintext,
                using: SymmetricKey(data: key),
                nonce: AES.GCM.Nonce(data: nonce),
                authenticating: aad
            )
            return (Array(box.ciphertext), Array(box.tag))
        }
    }

    /// Decrypts and authenticates an encrypted SMB2 message.
    ///
    /// - Parameters:
    ///   - key: Session.DecryptionKey, 16 bytes.
    ///   - tag: the TRANSFORM_HEADER Signature, 16 bytes.
    /// - Returns: the SMB2 message, only when the tag verifies.
    /// - Throws: `SMB2CryptoError.authenticationFailed` if the tag does not verify, another
    ///   `SMB2CryptoError` for a key, nonce or tag of the wrong length.
    static func open(
        algorithm: Algorithm,
        key: [UInt8],
        nonce: [UInt8],
        ciphertext: [UInt8],
        tag: [UInt8],
        aad: [UInt8]
    ) throws -> [UInt8] {
        try validate(algorithm: algorithm, key: key, nonce: nonce)
        guard tag.count == tagLength else {
            throw SMB2CryptoError(.invalidTagLength, "SMB2 encryption tag must be 16 bytes, got \(tag.count)")
        }
        switch algorithm {
        case .aes128CCM:
            return try AESCCM.open(key: key, nonce: nonce, ciphertext: ciphertext, tag: tag, aad: aad)
        case .aes128GCM:
            do {
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                return Array(try AES.GCM.open(box, using: SymmetricKey(data: key), authenticating: aad))
            } catch {
                // Lengths are validated above, so the only failure left is a tag mismatch.
                throw SMB2CryptoError.authenticationFailed
            }
        }
    }

    private static func validate(algorithm: Algorithm, key: [UInt8], nonce: [UInt8]) throws {
        guard key.count == 16 else {
            throw SMB2CryptoError(.invalidKeyLength, "AES-128 key must be 16 bytes, got \(key.count)")
        }
        let expectedNonceLength = nonceLength(of: algorithm)
        guard nonce.count == expectedNonceLength else {
            throw SMB2CryptoError(
                .invalidNonceLength,
                "\(algorithm) nonce must be \(expectedNonceLength) bytes, got \(nonce.count)"
            )
        }
    }
}
