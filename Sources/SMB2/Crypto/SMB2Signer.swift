import Crypto
import _CryptoExtras

/// Signs and verifies the messages of one session ([MS-SMB2] 3.1.4.1, 3.1.5.1) with its
/// signing key, keyed once: the HMAC and CMAC contexts are built when the session is
/// established and copied per message, and GMAC keeps its hash key (see ``AESGMAC``). A scan
/// signs or checks about 15 messages per outlet, so setting a key up per message cost more
/// than the MACs themselves.
///
/// The Signature field (bytes 48..<64 of the header) is always taken as zero, so an outgoing
/// message can be signed as encoded and a received one checked as received, without a copy.
struct SMB2Signer: Sendable {
    private enum Engine: Sendable {
        case hmacSHA256(HMAC<SHA256>)
        case aesCMAC(AES.CMAC)
        case aesGMAC(AESGMAC)
    }

    private let engine: Engine

    /// Offset of the header's 16-byte Signature field.
    private static let signatureField = 48..<64
    private static let zeros = [UInt8](repeating: 0, count: 16)

    /// - Precondition: for CMAC and GMAC `key` is 16 bytes (all SMB 3.x signing keys are).
    init(algorithm: SMB2Signing.Algorithm, key: [UInt8]) {
        switch algorithm {
        case .hmacSHA256:
            engine = .hmacSHA256(HMAC<SHA256>(key: SymmetricKey(data: key)))
        case .aesCMAC:
            precondition(key.count == 16, "SMB2 AES-CMAC signing key must be 16 bytes, got \(key.count)")
            do {
                engine = .aesCMAC(try AES.CMAC(key: SymmetricKey(data: key), outputSize: SMB2Signing.signatureLength))
            } catch {
                // Only an invalid key or output size throws, and both are checked above.
                preconditionFailure("AES-CMAC rejected validated parameters: \(error)")
            }
        case .aesGMAC:
            precondition(key.count == 16, "SMB2 AES-GMAC signing key must be 16 bytes, got \(key.count)")
            engine = .aesGMAC(AESGMAC(key: key))
        }
    }

    /// The 16-byte signature of `message` (the 64-byte SMB2 header and what follows it,
    /// including the padding of a compounded message), its Signature field taken as zero.
    func signature(of message: UnsafeRawBufferPointer) -> [UInt8] {
        switch engine {
        case .hmacSHA256(let keyed):
            // [MS-SMB2] 3.1.4.1: the first 16 bytes of the 32-byte HMAC-SHA256.
            var mac = keyed
            Self.forEachPiece(of: message) { mac.update(data: $0) }
            return Array(mac.finalize().prefix(SMB2Signing.signatureLength))
        case .aesCMAC(let keyed):
            var mac = keyed
            Self.forEachPiece(of: message) { mac.update(bufferPointer: $0) }
            return Array(mac.finalize())
        case .aesGMAC(let gmac):
            return gmac.tag(
                nonce: SMB2Signing.gmacNonce(for: message), message: message, zeroing: Self.signatureField)
        }
    }

    /// Checks `expected` (the Signature field as received) against the signature of
    /// `message`, in constant time.
    func verify(_ message: UnsafeRawBufferPointer, expected: [UInt8]) -> Bool {
        ConstantTime.equal(signature(of: message), expected)
    }

    /// The message as the MAC sees it: the bytes before the Signature field, zeros in its
    /// place, and the bytes after it (a message shorter than the header is cut short the same
    /// way, so a truncated message fails verification instead of trapping).
    private static func forEachPiece(
        of message: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void
    ) {
        let count = message.count
        let fieldStart = min(count, signatureField.lowerBound)
        let fieldEnd = min(count, signatureField.upperBound)
        body(UnsafeRawBufferPointer(rebasing: message[0..<fieldStart]))
        if fieldEnd > fieldStart {
            zeros.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<(fieldEnd - fieldStart)])) }
        }
        if count > fieldEnd {
            body(UnsafeRawBufferPointer(rebasing: message[fieldEnd..<count]))
        }
    }
}
