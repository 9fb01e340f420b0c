import Crypto

/// SMB2 message signing ([MS-SMB2] 3.1.4.1 signing an outgoing message, 3.1.5.1 verifying an
/// incoming one).
enum SMB2Signing {
    /// The signing algorithm in force for the connection.
    enum Algorithm: Sendable {
        /// HMAC-SHA256 cut to 16 bytes: dialects 2.0.2 and 2.1.
        case hmacSHA256
        /// AES-128-CMAC (RFC 4493): 3.0, 3.0.2, and 3.1.1 unless another algorithm is negotiated.
        case aesCMAC
        /// AES-128-GMAC (RFC 4543): 3.1.1 when SMB2_SIGNING_CAPABILITIES selects it.
        case aesGMAC
    }

    /// Length of the SMB2 header Signature field.
    static let signatureLength = 16

    /// Computes the 16-byte signature of `message`, which starts with the 64-byte SMB2 header
    /// and includes any padding of a compounded message.
    ///
    /// The caller must zero the header's 16-byte Signature field (offset 48) first. For GMAC
    /// the nonce comes from the header's MessageId, Flags and Command (see `gmacNonce(for:)`).
    ///
    /// - Precondition: for CMAC and GMAC `key` is 16 bytes (all SMB 3.x signing keys are).
    static func signature(algorithm: Algorithm, key: [UInt8], message: [UInt8]) -> [UInt8] {
        switch algorithm {
        case .hmacSHA256:
            // [MS-SMB2] 3.1.4.1: the first 16 bytes of the 32-byte HMAC-SHA256.
            let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
            return Array(mac.prefix(signatureLength))
        case .aesCMAC:
            precondition(key.count == 16, "SMB2 AES-CMAC signing key must be 16 bytes, got \(key.count)")
            return AESCMAC.authenticationCode(key: key, message: message)
        case .aesGMAC:
            precondition(key.count == 16, "SMB2 AES-GMAC signing key must be 16 bytes, got \(key.count)")
            return gmac(key: key, message: message)
        }
    }

    /// Checks `expected` (the Signature field as received) against the signature of `message`
    /// (the same message with its Signature field zeroed), in constant time.
    static func verify(algorithm: Algorithm, key: [UInt8], message: [UInt8], expected: [UInt8]) -> Bool {
        ConstantTime.equal(signature(algorithm: algorithm, key: key, message: message), expected)
    }

    /// The 12-byte AES-GMAC nonce of [MS-SMB2] 3.1.4.1: MessageId (8 bytes, as in the header,
    /// little-endian), then a 32-bit little-endian word whose bit 0 is set when the sender is
    /// the server (SMB2_FLAGS_SERVER_TO_REDIR in Flags) and bit 1 when the message is an
    /// SMB2 CANCEL request; the other 30 bits are zero.
    ///
    /// A message shorter than the 64-byte header yields the bytes it has and zeros for the
    /// rest, so a truncated message from the network fails verification instead of trapping.
    static func gmacNonce(for message: [UInt8]) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 where HeaderOffset.messageId + index < message.count {
            nonce[index] = message[HeaderOffset.messageId + index]
        }
        let flags = HeaderOffset.flags < message.count ? message[HeaderOffset.flags] : 0
        let isServer = flags & serverToRedirectorFlag != 0
        let command = readUInt16LittleEndian(message, at: HeaderOffset.command)
        let isCancel = command == cancelCommand
        nonce[8] = (isServer ? 0x01 : 0) | (isCancel ? 0x02 : 0)
        return nonce
    }

    /// AES-GMAC as AES-GCM with an empty plaintext and the message as AAD (RFC 4543): the tag
    /// is the signature.
    private static func gmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(
                [UInt8](),
                using: SymmetricKey(data: key),
                nonce: AES.GCM.Nonce(data: gmacNonce(for: message)),
                authenticating: message
            )
            return Array(box.tag)
        } catch {
            // Only a bad key or nonce size throws; the key is checked and the nonce is built here.
            preconditionFailure("AES-GMAC rejected validated parameters: \(error)")
        }
    }

    /// Byte offsets in the 64-byte SMB2 header ([MS-SMB2] 2.2.1).
    private enum HeaderOffset {
        static let command = 12
        static let flags = 16
        static let messageId = 24
    }

    /// SMB2_FLAGS_SERVER_TO_REDIR, bit 0 of the header Flags ([MS-SMB2] 2.2.1.1).
    private static let serverToRedirectorFlag: UInt8 = 0x01
    /// SMB2 CANCEL command code ([MS-SMB2] 2.2.1.1).
    private static let cancelCommand: UInt16 = 0x000c

    private static func readUInt16LittleEndian(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        guard offset + 1 < bytes.count else {
            return 0
        }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }
}
