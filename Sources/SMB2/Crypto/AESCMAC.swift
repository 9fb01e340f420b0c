import Crypto
import _CryptoExtras

/// AES-CMAC (RFC 4493), the signing algorithm of SMB 3.0, 3.0.2 and of 3.1.1 when no signing
/// algorithm is negotiated ([MS-SMB2] 3.1.4.1).
///
/// The MAC itself comes from swift-crypto (`AES.CMAC` in `_CryptoExtras`, BoringSSL's CMAC),
/// which processes the whole message in one pass; this type only adapts it to byte arrays.
/// `AES.CMAC` first appeared in swift-crypto 4.x: the 3.x line lacks it.
enum AESCMAC {
    /// Length of the MAC in bytes.
    static let macLength = 16

    /// Returns the 16-byte AES-CMAC of `message` under `key` (RFC 4493 section 2.4).
    ///
    /// - Precondition: `key` is 16, 24 or 32 bytes long (SMB always uses 16). A wrong length is
    ///   a programming error in the caller's key derivation, never a property of received data.
    static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        precondition([16, 24, 32].contains(key.count), "AES-CMAC key must be 16, 24 or 32 bytes, got \(key.count)")
        do {
            var mac = try AES.CMAC(key: SymmetricKey(data: key), outputSize: macLength)
            mac.update(data: message)
            return Array(mac.finalize())
        } catch {
            // Only an invalid key or output size throws, and both are checked above.
            preconditionFailure("AES-CMAC rejected validated parameters: \(error)")
        }
    }
}
