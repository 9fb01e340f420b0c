import Testing

@testable import SMB2

/// SP800-108 counter-mode KDF as [MS-SMB2] 3.1.4.2 uses it. Expected keys are Microsoft's
/// (see `MicrosoftSMB3Vectors`) and each was re-derived in Python:
///
///     import hmac, hashlib, struct
///     def kdf(k, label, ctx, L=128):
///         out, i = b"", 1
///         while len(out) < L // 8:
///             out += hmac.new(k, struct.pack(">I", i) + label + b"\0" + ctx + struct.pack(">I", L),
///                             hashlib.sha256).digest()
///             i += 1
///         return out[:L // 8]
@Suite("SP800-108 KDF ([MS-SMB2] 3.1.4.2)")
struct SP800108Tests {
    /// SMB 3.0 ([MS-SMB2] 3.2.5.3.1): EncryptionKey = KDF(SessionKey, "SMB2AESCCM\0", "ServerIn \0"),
    /// DecryptionKey = KDF(SessionKey, "SMB2AESCCM\0", "ServerOut\0"); Microsoft's SMB 3.0
    /// encryption example.
    @Test("SMB 3.0 encryption and decryption keys")
    func smb30Keys() {
        let sessionKey = MicrosoftSMB3Vectors.smb30SessionKey
        let label = Array("SMB2AESCCM\0".utf8)
        let encryption = SP800108.deriveKey(key: sessionKey, label: label, context: Array("ServerIn \0".utf8))
        let decryption = SP800108.deriveKey(key: sessionKey, label: label, context: Array("ServerOut\0".utf8))
        #expect(encryption == MicrosoftSMB3Vectors.smb30EncryptionKey)
        #expect(decryption == MicrosoftSMB3Vectors.smb30DecryptionKey)
    }

    /// SMB 3.0 signing key, KDF(SessionKey, "SMB2AESCMAC\0", "SmbSign\0"). Microsoft's example
    /// does not print it; value from the Python `kdf` above.
    @Test("SMB 3.0 signing key (cross-checked with Python)")
    func smb30SigningKey() {
        let key = SP800108.deriveKey(
            key: MicrosoftSMB3Vectors.smb30SessionKey,
            label: Array("SMB2AESCMAC\0".utf8),
            context: Array("SmbSign\0".utf8)
        )
        #expect(key.hexString == "f773cd23c18fd1e08ee510cada7cf852")
    }

    /// SMB 3.1.1: the context is Session.PreauthIntegrityHashValue (64 bytes); Microsoft's
    /// SMB 3.1.1 encryption example.
    @Test("SMB 3.1.1 encryption and decryption keys")
    func smb311CipherKeys() {
        let sessionKey = MicrosoftSMB3Vectors.smb311SessionKey
        let hash = MicrosoftSMB3Vectors.smb311PreauthHash
        let encryption = SP800108.deriveKey(key: sessionKey, label: Array("SMBC2SCipherKey\0".utf8), context: hash)
        let decryption = SP800108.deriveKey(key: sessionKey, label: Array("SMBS2CCipherKey\0".utf8), context: hash)
        #expect(encryption == MicrosoftSMB3Vectors.smb311EncryptionKey)
        #expect(decryption == MicrosoftSMB3Vectors.smb311DecryptionKey)
    }

    /// SMB 3.1.1 signing key from Microsoft's pre-authentication integrity example.
    @Test("SMB 3.1.1 signing key")
    func smb311SigningKey() {
        let key = SP800108.deriveKey(
            key: MicrosoftSMB3Vectors.preauthSessionKey,
            label: Array("SMBSigningKey\0".utf8),
            context: MicrosoftSMB3Vectors.preauthFinalHash
        )
        #expect(key == MicrosoftSMB3Vectors.preauthSigningKey)
    }

    /// L = 256 (AES-256 ciphers, [MS-SMB2] 3.2.5.3.1) is one PRF block with L encoded as 256;
    /// L = 512 needs a second block with i = 2. Values from the Python `kdf` above.
    @Test(
        "Longer outputs (cross-checked with Python)",
        arguments: [
            (256, "3c8b01b56b19b4ea99a27fa3e5878f5f1c096ccb1c5f5867e1e467ce81ed3938"),
            (
                512,
                "ec521e7c6b6c83baadd25a872a4156a584ced0ab58bb740f5c33df5b8f968e17"
                    + "c32b5ade4140821e598690982b9cbd46894ab7a8daad23799eeb61679c26e57d"
            ),
        ]
    )
    func longerOutput(lengthInBits: Int, expected: String) {
        let key = SP800108.deriveKey(
            key: MicrosoftSMB3Vectors.smb30SessionKey,
            label: Array("SMB2AESCCM\0".utf8),
            context: Array("ServerIn \0".utf8),
            lengthInBits: lengthInBits
        )
        #expect(key.hexString == expected)
    }
}
