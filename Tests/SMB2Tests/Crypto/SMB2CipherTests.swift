import Testing

@testable import SMB2

/// [MS-SMB2] 3.1.4.3 encryption against Microsoft's published encrypted messages
/// (`MicrosoftSMB3Vectors`): the TRANSFORM_HEADER is ProtocolId (4) || Signature (16) || Nonce (16)
/// || OriginalMessageSize (4) || Reserved (2) || Flags (2) || SessionId (8); the AAD is bytes 20..<52.
@Suite("SMB2 encryption ([MS-SMB2] 3.1.4.3)")
struct SMB2CipherTests {
    /// The pieces of an encrypted message as `SMB2Cipher` takes them.
    private struct Transformed {
        let tag: [UInt8]
        let nonce: [UInt8]
        let aad: [UInt8]
        let ciphertext: [UInt8]

        init(_ message: [UInt8], nonceLength: Int) {
            tag = Array(message[4..<20])
            nonce = Array(message[20..<(20 + nonceLength)])
            aad = Array(message[20..<52])
            ciphertext = Array(message[52...])
        }
    }

    @Test("SMB 3.0 AES-128-CCM request encrypts to Microsoft's bytes")
    func ccmSeal() throws {
        let expected = Transformed(MicrosoftSMB3Vectors.smb30EncryptedRequest, nonceLength: 11)
        let sealed = try SMB2Cipher.seal(
            algorithm: .aes128CCM,
            key: MicrosoftSMB3Vectors.smb30EncryptionKey,
            nonce: expected.nonce,
            plaintext: MicrosoftSMB3Vectors.smb30Request,
            aad: expected.aad
        )
        #expect(sealed.ciphertext.hexString == expected.ciphertext.hexString)
        #expect(sealed.tag.hexString == expected.tag.hexString)
    }

    @Test("SMB 3.0 AES-128-CCM response decrypts to Microsoft's bytes")
    func ccmOpen() throws {
        let input = Transformed(MicrosoftSMB3Vectors.smb30EncryptedResponse, nonceLength: 11)
        let plaintext = try SMB2Cipher.open(
            algorithm: .aes128CCM,
            key: MicrosoftSMB3Vectors.smb30DecryptionKey,
            nonce: input.nonce,
            ciphertext: input.ciphertext,
            tag: input.tag,
            aad: input.aad
        )
        #expect(plaintext == MicrosoftSMB3Vectors.smb30Response)
    }

    @Test("SMB 3.1.1 AES-128-GCM request encrypts to Microsoft's bytes")
    func gcmSeal() throws {
        let expected = Transformed(MicrosoftSMB3Vectors.smb311EncryptedRequest, nonceLength: 12)
        let sealed = try SMB2Cipher.seal(
            algorithm: .aes128GCM,
            key: MicrosoftSMB3Vectors.smb311EncryptionKey,
            nonce: expected.nonce,
            plaintext: MicrosoftSMB3Vectors.smb311Request,
            aad: expected.aad
        )
        #expect(sealed.ciphertext.hexString == expected.ciphertext.hexString)
        #expect(sealed.tag.hexString == expected.tag.hexString)
    }

    @Test("SMB 3.1.1 AES-128-GCM response decrypts to Microsoft's bytes")
    func gcmOpen() throws {
        let input = Transformed(MicrosoftSMB3Vectors.smb311EncryptedResponse, nonceLength: 12)
        let plaintext = try SMB2Cipher.open(
            algorithm: .aes128GCM,
            key: MicrosoftSMB3Vectors.smb311DecryptionKey,
            nonce: input.nonce,
            ciphertext: input.ciphertext,
            tag: input.tag,
            aad: input.aad
        )
        #expect(plaintext == MicrosoftSMB3Vectors.smb311Response)
    }

    @Test(
        "A changed ciphertext, tag or header fails authentication",
        arguments: [SMB2Cipher.Algorithm.aes128CCM, .aes128GCM]
    )
    func tampering(algorithm: SMB2Cipher.Algorithm) {
        let (message, key, nonceLength) =
            switch algorithm {
            case .aes128CCM: (MicrosoftSMB3Vectors.smb30EncryptedResponse, MicrosoftSMB3Vectors.smb30DecryptionKey, 11)
            case .aes128GCM:
                (MicrosoftSMB3Vectors.smb311EncryptedResponse, MicrosoftSMB3Vectors.smb311DecryptionKey, 12)
            }
        let input = Transformed(message, nonceLength: nonceLength)
        var ciphertext = input.ciphertext
        ciphertext[5] ^= 0x01
        var tag = input.tag
        tag[15] ^= 0x01
        var aad = input.aad
        aad[28] ^= 0x01  // SessionId
        let variants = [
            (ciphertext, input.tag, input.aad), (input.ciphertext, tag, input.aad), (input.ciphertext, input.tag, aad),
        ]
        for (ciphertext, tag, aad) in variants {
            #expect(throws: SMB2CryptoError.authenticationFailed) {
                try SMB2Cipher.open(
                    algorithm: algorithm,
                    key: key,
                    nonce: input.nonce,
                    ciphertext: ciphertext,
                    tag: tag,
                    aad: aad
                )
            }
        }
    }

    /// Random data with AAD, nonce 11 and tag 16, as SMB uses CCM. Generated and sealed in
    /// Python: `r = random.Random(3)`; key, nonce, 100-byte plaintext and 32-byte AAD drawn with
    /// `r.getrandbits(8)` in that order; `AESCCM(key, 16).encrypt(nonce, pt, aad)`.
    @Test("AES-128-CCM with random data (cross-checked with Python cryptography)")
    func ccmRandomData() throws {
        let key = [UInt8](hex: "3c978b215eea9a79a094109b03e8d678")
        let nonce = [UInt8](hex: "428d3b31feb7788ad68c79")
        let plaintext = [UInt8](
            hex: """
                65a3dc263ba226deed8563bd03abc61028c2f5970a4dc707d2dd447998b8ebe063b6c9eb6d65bacd9371f6ef
                22e05d1809227e3742f7ac6fc7a0da4d6b81d5629259889568953be756aeeaed07db47fd9babb229b2dc53f6
                8ae792911ab6a736a2d4fc92
                """
        )
        let aad = [UInt8](hex: "44481f107bdaa3fd7b1658cc1169e526054b6dc46adf1e0b9a9dc20b60b79654")
        let sealed = try SMB2Cipher.seal(algorithm: .aes128CCM, key: key, nonce: nonce, plaintext: plaintext, aad: aad)
        #expect(
            sealed.ciphertext
                == [UInt8](
                    hex: """
                        15d67b736db183946464765749434ed5450fbcb51f32d06e1115adea65f1b9b14260467fead99098bf31cab1
                        925c7ea9c00ce7c20ce1a388709d4b9fdcbb1f330ce391559dd23da6ecc98dd577fc5a447196b44ee69d6850
                        7b500b8b654839cdd535e6a5
                        """
                )
        )
        #expect(sealed.tag.hexString == "fb613f04649ff857add15fe0f024b92e")
        let opened = try SMB2Cipher.open(
            algorithm: .aes128CCM,
            key: key,
            nonce: nonce,
            ciphertext: sealed.ciphertext,
            tag: sealed.tag,
            aad: aad
        )
        #expect(opened == plaintext)
    }

    /// 70000 bytes (4375 blocks, past 2^16 bytes) under both ciphers. Python gives the tag and
    /// three slices of the ciphertext (start, across offset 65536, end) for
    /// `bytes((i * 31 + 7) & 0xff for i in range(70000))` with AAD `bytes(range(32))` and the
    /// key and nonce of the test above (GCM: nonce + b"\x01"); the slices pin down the counter
    /// sequence, which a round trip alone would not.
    @Test(
        "Large message (cross-checked with Python cryptography)",
        arguments: [
            LargeMessageVector(
                algorithm: .aes128CCM,
                start: "7753e231d5b164aa76ff28b63172311d9adb7c7666eda6b92cc6c4df96c3fb99",
                middle: "fac65040684e866d486703ffa81cb884859fa3cff59aedc0f59f8f44cda9f6af"
                    + "64d636217bc2127b0f785e8bc7706f52",
                end: "12094f65f54d379d26cc94297b79ed330809428e396c8ab67d5658e41c33465e",
                tag: "7ae6e566b5b9e917ec10192ceb833f13"
            ),
            LargeMessageVector(
                algorithm: .aes128GCM,
                start: "2aa3867abcf1d7c2aa4e7c94d3be60d8abe60fae7b75d6bf77c5406cd0624d68",
                middle: "456e26463e19aa8c2915330733d5d49d0d4021e87afee4c0f7602de693ccdd4f"
                    + "e55d8c6c95dc3e21faf918830f77e92e",
                end: "b664f283954fcc6418419915355ae76daf6156ca0a50e151d99188b6ccf5a26c",
                tag: "8ad7a3d611a6d434c1f24c01180b9b00"
            ),
        ]
    )
    func largeMessage(vector: LargeMessageVector) throws {
        let key = [UInt8](hex: "3c978b215eea9a79a094109b03e8d678")
        var nonce = [UInt8](hex: "428d3b31feb7788ad68c79")
        if vector.algorithm == .aes128GCM {
            nonce.append(0x01)
        }
        let plaintext = (0..<70000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let aad = Array(UInt8(0)..<32)
        let sealed = try SMB2Cipher.seal(
            algorithm: vector.algorithm,
            key: key,
            nonce: nonce,
            plaintext: plaintext,
            aad: aad
        )
        #expect(sealed.ciphertext.count == plaintext.count)
        #expect(Array(sealed.ciphertext[0..<32]).hexString == vector.start)
        #expect(Array(sealed.ciphertext[65520..<65568]).hexString == vector.middle)
        #expect(Array(sealed.ciphertext[69968..<70000]).hexString == vector.end)
        #expect(sealed.tag.hexString == vector.tag)
        let opened = try SMB2Cipher.open(
            algorithm: vector.algorithm,
            key: key,
            nonce: nonce,
            ciphertext: sealed.ciphertext,
            tag: sealed.tag,
            aad: aad
        )
        #expect(opened == plaintext)
    }

    struct LargeMessageVector: Sendable, CustomTestStringConvertible {
        let algorithm: SMB2Cipher.Algorithm
        let start: String
        let middle: String
        let end: String
        let tag: String

        var testDescription: String { "\(algorithm)" }
    }

    @Test("Wrong key, nonce or tag lengths are rejected", arguments: [SMB2Cipher.Algorithm.aes128CCM, .aes128GCM])
    func invalidLengths(algorithm: SMB2Cipher.Algorithm) {
        let key = [UInt8](repeating: 1, count: 16)
        let nonce = [UInt8](repeating: 2, count: SMB2Cipher.nonceLength(of: algorithm))
        #expect(throws: SMB2CryptoError(.invalidKeyLength, "")) {
            try SMB2Cipher.seal(algorithm: algorithm, key: key + key, nonce: nonce, plaintext: [1], aad: [])
        }
        #expect(throws: SMB2CryptoError(.invalidNonceLength, "")) {
            try SMB2Cipher.seal(algorithm: algorithm, key: key, nonce: nonce + [0, 0, 0], plaintext: [1], aad: [])
        }
        #expect(throws: SMB2CryptoError(.invalidTagLength, "")) {
            try SMB2Cipher.open(algorithm: algorithm, key: key, nonce: nonce, ciphertext: [1], tag: [1, 2, 3], aad: [])
        }
    }
}
