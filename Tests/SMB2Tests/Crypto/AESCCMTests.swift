import Testing

@testable import SMB2

/// Generic AES-CCM against the published examples. Each vector was also reproduced with
/// Python `cryptography` (`AESCCM(key, tag_length=t).encrypt(nonce, payload, aad)`).
@Suite("AES-CCM (RFC 3610, SP800-38C)")
struct AESCCMTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: String
        let nonce: String
        let aad: [UInt8]
        let payload: [UInt8]
        /// Ciphertext followed by the tag, as the standards print it.
        let output: String
        let tagLength: Int

        var testDescription: String { name }
    }

    private static let sp800Key = "40414243 44454647 48494a4b 4c4d4e4f"
    private static let rfc3610Key = "C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 CA CB CC CD CE CF"

    static let vectors: [Vector] = [
        // SP800-38C appendix C.1: 7-byte nonce, 4-byte tag.
        Vector(
            name: "SP800-38C C.1",
            key: sp800Key,
            nonce: "10111213 141516",
            aad: Array(0x00...0x07),
            payload: Array(0x20...0x23),
            output: "7162015b 4dac255d",
            tagLength: 4
        ),
        // C.2: 8-byte nonce, 6-byte tag.
        Vector(
            name: "SP800-38C C.2",
            key: sp800Key,
            nonce: "10111213 14151617",
            aad: Array(0x00...0x0f),
            payload: Array(0x20...0x2f),
            output: "d2a1f0e0 51ea5f62 081a7792 073d593d 1fc64fbf accd",
            tagLength: 6
        ),
        // C.3: 12-byte nonce, 8-byte tag.
        Vector(
            name: "SP800-38C C.3",
            key: sp800Key,
            nonce: "10111213 14151617 18191a1b",
            aad: Array(0x00...0x13),
            payload: Array(0x20...0x37),
            output: "e3b201a9 f5b71a7a 9b1ceaec cd97e70b 6176aad9 a4428aa5 484392fb c1b09951",
            tagLength: 8
        ),
        // C.4: 13-byte nonce, 14-byte tag, 2^16 bytes of AAD (the 0xFFFE long length form).
        Vector(
            name: "SP800-38C C.4",
            key: sp800Key,
            nonce: "10111213 14151617 18191a1b 1c",
            aad: (0..<65536).map { UInt8(truncatingIfNeeded: $0) },
            payload: Array(0x20...0x3f),
            output: """
                69915dad 1e84c637 6a68c296 7e4dab61 5ae0fd1f aec44cc4 84828529 463ccf72
                b4ac6bec 93e8598e 7f0dadbc ea5b
                """,
            tagLength: 14
        ),
        // RFC 3610 section 8, packet vector #1: 13-byte nonce, 8 bytes AAD, M = 8.
        Vector(
            name: "RFC 3610 #1",
            key: rfc3610Key,
            nonce: "00 00 00 03 02 01 00 A0 A1 A2 A3 A4 A5",
            aad: Array(0x00...0x07),
            payload: Array(0x08...0x1e),
            output: """
                58 8C 97 9A 61 C6 63 D2 F0 66 D0 C2 C0 F9 89 80 6D 5F 6B 61 DA C3 84 17
                E8 D1 2C FD F9 26 E0
                """,
            tagLength: 8
        ),
        // Packet vector #2: a payload of whole blocks.
        Vector(
            name: "RFC 3610 #2",
            key: rfc3610Key,
            nonce: "00 00 00 04 03 02 01 A0 A1 A2 A3 A4 A5",
            aad: Array(0x00...0x07),
            payload: Array(0x08...0x1f),
            output: """
                72 C9 1A 36 E1 35 F8 CF 29 1C A8 94 08 5C 87 E3 CC 15 C4 39 C9 E4 3A 3B
                A0 91 D5 6E 10 40 09 16
                """,
            tagLength: 8
        ),
        // Packet vector #4: 12 bytes AAD.
        Vector(
            name: "RFC 3610 #4",
            key: rfc3610Key,
            nonce: "00 00 00 06 05 04 03 A0 A1 A2 A3 A4 A5",
            aad: Array(0x00...0x0b),
            payload: Array(0x0c...0x1e),
            output: "A2 8C 68 65 93 9A 9A 79 FA AA 5C 4C 2A 9D 4A 91 CD AC 8C 96 C8 61 B9 C9 E6 1E F1",
            tagLength: 8
        ),
        // Packet vector #7: M = 10.
        Vector(
            name: "RFC 3610 #7",
            key: rfc3610Key,
            nonce: "00 00 00 09 08 07 06 A0 A1 A2 A3 A4 A5",
            aad: Array(0x00...0x07),
            payload: Array(0x08...0x1e),
            output: """
                01 35 D1 B2 C9 5F 41 D5 D1 D4 FE C1 85 D1 66 B8 09 4E 99 9D FE D9 6C 04
                8C 56 60 2C 97 AC BB 74 90
                """,
            tagLength: 10
        ),
    ]

    @Test("Published vectors: seal", arguments: vectors)
    func seal(vector: Vector) throws {
        let sealed = try AESCCM.seal(
            key: [UInt8](hex: vector.key),
            nonce: [UInt8](hex: vector.nonce),
            plaintext: vector.payload,
            aad: vector.aad,
            tagLength: vector.tagLength
        )
        #expect(sealed.tag.count == vector.tagLength)
        #expect((sealed.ciphertext + sealed.tag).hexString == [UInt8](hex: vector.output).hexString)
    }

    @Test("Published vectors: open, and a flipped bit fails", arguments: vectors)
    func open(vector: Vector) throws {
        let output = [UInt8](hex: vector.output)
        let ciphertext = Array(output.dropLast(vector.tagLength))
        let tag = Array(output.suffix(vector.tagLength))
        let plaintext = try AESCCM.open(
            key: [UInt8](hex: vector.key),
            nonce: [UInt8](hex: vector.nonce),
            ciphertext: ciphertext,
            tag: tag,
            aad: vector.aad
        )
        #expect(plaintext == vector.payload)

        var badTag = tag
        badTag[badTag.count - 1] ^= 0x01
        #expect(throws: SMB2CryptoError.authenticationFailed) {
            try AESCCM.open(
                key: [UInt8](hex: vector.key),
                nonce: [UInt8](hex: vector.nonce),
                ciphertext: ciphertext,
                tag: badTag,
                aad: vector.aad
            )
        }
        var badAAD = vector.aad
        badAAD[0] ^= 0x01
        #expect(throws: SMB2CryptoError.authenticationFailed) {
            try AESCCM.open(
                key: [UInt8](hex: vector.key),
                nonce: [UInt8](hex: vector.nonce),
                ciphertext: ciphertext,
                tag: tag,
                aad: badAAD
            )
        }
    }

    /// No AAD and no payload: B0 alone is MACed. Python: AESCCM(key, 16).encrypt(nonce, b"", None).
    @Test("Empty payload and AAD")
    func empty() throws {
        let key = [UInt8](hex: "3c978b215eea9a79a094109b03e8d678")
        let nonce = [UInt8](hex: "428d3b31feb7788ad68c79")
        let sealed = try AESCCM.seal(key: key, nonce: nonce, plaintext: [], aad: [])
        #expect(sealed.ciphertext.isEmpty)
        let reopened = try AESCCM.open(key: key, nonce: nonce, ciphertext: [], tag: sealed.tag, aad: [])
        #expect(reopened.isEmpty)
        #expect(sealed.tag.count == 16)
    }

    @Test("Parameters outside CCM's definition are rejected")
    func invalidParameters() {
        let key = [UInt8](repeating: 1, count: 16)
        let nonce = [UInt8](repeating: 2, count: 11)
        #expect(throws: SMB2CryptoError(.invalidKeyLength, "")) {
            try AESCCM.seal(key: Array(key.prefix(15)), nonce: nonce, plaintext: [1], aad: [])
        }
        #expect(throws: SMB2CryptoError(.invalidNonceLength, "")) {
            try AESCCM.seal(key: key, nonce: Array(repeating: 0, count: 6), plaintext: [1], aad: [])
        }
        #expect(throws: SMB2CryptoError(.invalidNonceLength, "")) {
            try AESCCM.seal(key: key, nonce: Array(repeating: 0, count: 14), plaintext: [1], aad: [])
        }
        #expect(throws: SMB2CryptoError(.invalidTagLength, "")) {
            try AESCCM.seal(key: key, nonce: nonce, plaintext: [1], aad: [], tagLength: 5)
        }
        #expect(throws: SMB2CryptoError(.invalidTagLength, "")) {
            try AESCCM.open(key: key, nonce: nonce, ciphertext: [1], tag: [1, 2], aad: [])
        }
        // A 13-byte nonce leaves a 2-byte length field: payloads must stay below 64 KiB.
        #expect(throws: SMB2CryptoError(.messageTooLong, "")) {
            try AESCCM.seal(
                key: key,
                nonce: Array(repeating: 0, count: 13),
                plaintext: Array(repeating: 0, count: 65536),
                aad: []
            )
        }
    }
}
