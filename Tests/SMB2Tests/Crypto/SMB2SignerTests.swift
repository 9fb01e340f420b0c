import Crypto
import Testing
import _CryptoExtras

@testable import SMB2

/// The per-session signer ([MS-SMB2] 3.1.4.1) against the one-message-at-a-time computation it
/// replaced, done here directly with swift-crypto: HMAC-SHA256 cut to 16 bytes, a fresh
/// AES-CMAC, and AES-GCM with an empty plaintext for GMAC, each over a copy of the message
/// whose Signature field was zeroed.
@Suite("SMB2Signer: keyed once per session, same signatures")
struct SMB2SignerTests {
    /// Deterministic bytes (xorshift64*), so a failure can be reproduced.
    private struct Bytes {
        var state: UInt64

        mutating func next(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                state ^= state >> 12
                state ^= state << 25
                state ^= state >> 27
                return UInt8(truncatingIfNeeded: (state &* 0x2545_F491_4F6C_DD1D) >> 56)
            }
        }
    }

    private static func reference(_ algorithm: SMB2Signing.Algorithm, key: [UInt8], message: [UInt8]) throws
        -> [UInt8]
    {
        var zeroed = message
        for index in 48..<64 where index < zeroed.count { zeroed[index] = 0 }
        switch algorithm {
        case .hmacSHA256:
            return Array(HMAC<SHA256>.authenticationCode(for: zeroed, using: SymmetricKey(data: key)).prefix(16))
        case .aesCMAC:
            var mac = try AES.CMAC(key: SymmetricKey(data: key), outputSize: 16)
            mac.update(data: zeroed)
            return Array(mac.finalize())
        case .aesGMAC:
            let box = try AES.GCM.seal(
                [UInt8](), using: SymmetricKey(data: key),
                nonce: AES.GCM.Nonce(data: SMB2Signing.gmacNonce(for: zeroed)), authenticating: zeroed)
            return Array(box.tag)
        }
    }

    @Test(
        "one signer for many messages gives the signatures of a fresh computation per message",
        arguments: [SMB2Signing.Algorithm.hmacSHA256, .aesCMAC, .aesGMAC]
    )
    func cachedSignerMatchesFreshComputation(algorithm: SMB2Signing.Algorithm) throws {
        var random = Bytes(state: 0x9E37_79B9_7F4A_7C15)
        let key = random.next(16)
        let signer = SMB2Signer(algorithm: algorithm, key: key)
        // Every length up to a few blocks past the header (partial blocks, a message that ends
        // inside the Signature field, an empty one), then sizes of real listings.
        for length in Array(0...200) + [1_023, 4_096, 4_097, 65_600] {
            let message = random.next(length)
            let expected = try Self.reference(algorithm, key: key, message: message)
            let signature = message.withUnsafeBytes { signer.signature(of: $0) }
            #expect(signature == expected, "length \(length)")
        }
    }

    @Test(
        "the Signature field is taken as zero, whatever it holds",
        arguments: [
            SMB2Signing.Algorithm.hmacSHA256, .aesCMAC, .aesGMAC,
        ])
    func signatureFieldIsIgnored(algorithm: SMB2Signing.Algorithm) {
        var random = Bytes(state: 42)
        let signer = SMB2Signer(algorithm: algorithm, key: random.next(16))
        var message = random.next(150)
        for index in 48..<64 { message[index] = 0 }
        let zeroed = message.withUnsafeBytes { signer.signature(of: $0) }
        for index in 48..<64 { message[index] = 0xA5 }
        #expect(message.withUnsafeBytes { signer.signature(of: $0) } == zeroed)
        #expect(message.withUnsafeBytes { signer.verify($0, expected: zeroed) })
        message[100] ^= 1
        #expect(!message.withUnsafeBytes { signer.verify($0, expected: zeroed) })
    }

    /// NIST GCM specification, test case 1: K = 0^128, IV = 0^96, no AAD, no plaintext.
    @Test("AES-GMAC of nothing under the zero key is GCM test case 1")
    func gcmTestCaseOne() {
        let gmac = AESGMAC(key: [UInt8](repeating: 0, count: 16))
        let tag = [UInt8]().withUnsafeBytes {
            gmac.tag(nonce: [UInt8](repeating: 0, count: 12), message: $0, zeroing: 48..<64)
        }
        #expect(tag.hexString == "58e2fccefa7e3061367f1d57a4e7455a")
    }

    @Test("AES-GMAC equals AES-GCM with an empty plaintext for random keys, nonces and lengths")
    func gmacMatchesGCM() throws {
        var random = Bytes(state: 7)
        for round in 0..<64 {
            let key = random.next(16)
            let nonce = random.next(12)
            let message = random.next(round * 37 % 700)
            let gmac = AESGMAC(key: key)
            let tag = message.withUnsafeBytes { gmac.tag(nonce: nonce, message: $0, zeroing: 0..<0) }
            let box = try AES.GCM.seal(
                [UInt8](), using: SymmetricKey(data: key), nonce: AES.GCM.Nonce(data: nonce), authenticating: message)
            #expect(tag == Array(box.tag), "round \(round)")
        }
    }

    @Test("bit reversal of a 64-bit word")
    func reverse() {
        #expect(GHASH.reverse(1) == 1 << 63)
        #expect(GHASH.reverse(0x0123_4567_89AB_CDEF) == 0xF7B3_D591_E6A2_C480)
        #expect(GHASH.reverse(GHASH.reverse(0xDEAD_BEEF_0BAD_F00D)) == 0xDEAD_BEEF_0BAD_F00D)
    }
}
