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
    /// and includes any padding of a compounded message; its Signature field (offset 48) is
    /// taken as zero. For GMAC the nonce comes from the header's MessageId, Flags and Command
    /// (see `gmacNonce(for:)`). A session signs through one ``SMB2Signer``, keyed once; this
    /// one-shot form keys it for a single message.
    ///
    /// - Precondition: for CMAC and GMAC `key` is 16 bytes (all SMB 3.x signing keys are).
    static func signature(algorithm: Algorithm, key: [UInt8], message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { SMB2Signer(algorithm: algorithm, key: key).signature(of: $0) }
    }

    /// Checks `expected` (the Signature field as received) against the signature of `message`,
    /// in constant time.
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
    static func gmacNonce<Bytes: RandomAccessCollection<UInt8>>(for message: Bytes) -> [UInt8]
    where Bytes.Index == Int {
        var nonce = [UInt8](repeating: 0, count: 12)
        let start = message.startIndex
        for index in 0..<8 where HeaderOffset.messageId + index < message.count {
            nonce[index] = message[start + HeaderOffset.messageId + index]
        }
        let flags = HeaderOffset.flags < message.count ? message[start + HeaderOffset.flags] : 0
        let isServer = flags & serverToRedirectorFlag != 0
        var command: UInt16 = 0
        if HeaderOffset.command + 1 < message.count {
            command =
                UInt16(message[start + HeaderOffset.command]) | UInt16(message[start + HeaderOffset.command + 1]) << 8
        }
        let isCancel = command == cancelCommand
        nonce[8] = (isServer ? 0x01 : 0) | (isCancel ? 0x02 : 0)
        return nonce
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
}
