import Testing

@testable import SMB2

/// [MS-SMB2] 3.1.4.1 signing. Microsoft publishes no signed-message example, so the expected
/// signatures were computed with Python (hmac/hashlib and `cryptography`) over Microsoft's
/// SMB 3.1.1 WRITE request (`MicrosoftSMB3Vectors.smb311Request`, Signature field already zero)
/// with Microsoft's SMB 3.1.1 signing key (`preauthSigningKey`):
///
///     hmac.new(key, msg, hashlib.sha256).digest()[:16]                      # HMAC-SHA256
///     c = CMAC(algorithms.AES(key)); c.update(msg); c.finalize()            # AES-CMAC
///     mid = struct.unpack_from("<Q", msg, 24)[0]
///     flags = struct.unpack_from("<I", msg, 16)[0]
///     cmd = struct.unpack_from("<H", msg, 12)[0]
///     nonce = struct.pack("<QI", mid, (flags & 1) | ((cmd == 0x0C) << 1))
///     AESGCM(key).encrypt(nonce, b"", msg)                                  # AES-GMAC tag
@Suite("SMB2 signing ([MS-SMB2] 3.1.4.1)")
struct SMB2SigningTests {
    private static let key = MicrosoftSMB3Vectors.preauthSigningKey
    private static let request = MicrosoftSMB3Vectors.smb311Request

    /// The same request as a server would send it: SMB2_FLAGS_SERVER_TO_REDIR set.
    private static var response: [UInt8] {
        var message = request
        message[16] |= 0x01
        return message
    }

    /// A sync SMB2 CANCEL request (command 0x000C), MessageId 7, SMB2_FLAGS_SIGNED.
    private static let cancel = [UInt8](
        hex: """
            fe534d4240000000000000000c00000008000000000000000700000000000000
            0000000001000000250000000010000000000000000000000000000000000000
            04000000
            """
    )

    @Test("HMAC-SHA256 for 2.0.2 / 2.1")
    func hmacSHA256() {
        let signature = SMB2Signing.signature(algorithm: .hmacSHA256, key: Self.key, message: Self.request)
        #expect(signature.hexString == "e30c917706b4eeb646f5eae85486e06a")
    }

    @Test("AES-CMAC for 3.x")
    func aesCMAC() {
        let signature = SMB2Signing.signature(algorithm: .aesCMAC, key: Self.key, message: Self.request)
        #expect(signature.hexString == "6c8cab5f147c12ae052aa88b802d5983")
    }

    @Test(
        "AES-GMAC nonce and signature for request, response and cancel",
        arguments: [
            ("request", "050000000000000000000000", "758f6d4c97cf4f165f0d9c04873e9a98"),
            ("response", "050000000000000001000000", "ea8129ab6960fe76e5414fd3fc78c295"),
            ("cancel", "070000000000000002000000", "88f826be64b09895221aa29769d181f3"),
        ]
    )
    func aesGMAC(kind: String, nonce: String, signature: String) {
        let message: [UInt8] =
            switch kind {
            case "request": Self.request
            case "response": Self.response
            default: Self.cancel
            }
        #expect(SMB2Signing.gmacNonce(for: message).hexString == nonce)
        #expect(SMB2Signing.signature(algorithm: .aesGMAC, key: Self.key, message: message).hexString == signature)
    }

    @Test(
        "verify accepts the right signature and rejects a changed message or signature",
        arguments: [SMB2Signing.Algorithm.hmacSHA256, .aesCMAC, .aesGMAC]
    )
    func verify(algorithm: SMB2Signing.Algorithm) {
        let signature = SMB2Signing.signature(algorithm: algorithm, key: Self.key, message: Self.request)
        #expect(signature.count == 16)
        #expect(SMB2Signing.verify(algorithm: algorithm, key: Self.key, message: Self.request, expected: signature))

        var tamperedMessage = Self.request
        tamperedMessage[tamperedMessage.count - 1] ^= 0x01
        #expect(!SMB2Signing.verify(algorithm: algorithm, key: Self.key, message: tamperedMessage, expected: signature))

        var tamperedSignature = signature
        tamperedSignature[0] ^= 0x80
        #expect(
            !SMB2Signing.verify(algorithm: algorithm, key: Self.key, message: Self.request, expected: tamperedSignature)
        )
        #expect(!SMB2Signing.verify(algorithm: algorithm, key: Self.key, message: Self.request, expected: []))
    }

    /// A message cut short by a hostile peer must not trap while building the GMAC nonce.
    @Test("GMAC over a truncated header does not trap")
    func truncatedMessage() {
        #expect(SMB2Signing.gmacNonce(for: [0xfe, 0x53]) == [UInt8](repeating: 0, count: 12))
        let truncated = Array(Self.request.prefix(28))
        #expect(SMB2Signing.gmacNonce(for: truncated).hexString == "050000000000000000000000")
        #expect(SMB2Signing.signature(algorithm: .aesGMAC, key: Self.key, message: truncated).count == 16)
    }
}
