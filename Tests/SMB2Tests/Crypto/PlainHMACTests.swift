import Crypto
import Testing

@testable import SMB2

@Suite("PlainHMAC (RFC 2104) against swift-crypto's HMAC")
struct PlainHMACTests {
    /// RFC 2202 test case 1 for HMAC-MD5 and RFC 4231 test case 1 for HMAC-SHA256.
    @Test("published vectors")
    func vectors() {
        let key = [UInt8](repeating: 0x0b, count: 16)
        let data = Array("Hi There".utf8)
        #expect(
            PlainHMAC.authenticationCode(Insecure.MD5.self, key: key, data).hexString
                == "9294727a3638bb1c13f48ef8158bfc9d")
        let key20 = [UInt8](repeating: 0x0b, count: 20)
        #expect(
            PlainHMAC.authenticationCode(SHA256.self, key: key20, data).hexString
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test("same MAC as swift-crypto for short, block-sized and long keys, in one part or several")
    func matchesSwiftCrypto() {
        for keyLength in [0, 1, 16, 63, 64, 65, 200] {
            let key = (0..<keyLength).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            for messageLength in [0, 1, 55, 56, 64, 129, 1000] {
                let message = (0..<messageLength).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 1) }
                let md5 = HMAC<Insecure.MD5>.authenticationCode(for: message, using: SymmetricKey(data: key))
                let sha = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
                #expect(PlainHMAC.authenticationCode(Insecure.MD5.self, key: key, message) == Array(md5))
                #expect(PlainHMAC.authenticationCode(SHA256.self, key: key, message) == Array(sha))
                let split = message.count / 3
                #expect(
                    PlainHMAC.authenticationCode(
                        SHA256.self, key: key, Array(message[..<split]), [], Array(message[split...]))
                        == Array(sha))
            }
        }
    }
}
