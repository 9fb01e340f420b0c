import Testing

@testable import SMB2

@Suite("MD4 (RFC 1320)")
struct MD4Tests {
    /// RFC 1320 appendix A.5, the complete test suite.
    @Test(
        "RFC 1320 A.5 test suite",
        arguments: [
            ("", "31d6cfe0d16ae931b73c59d7e0c089c0"),
            ("a", "bde52cb31de33e46245e05fbdbd6fb24"),
            ("abc", "a448017aaf21d8525fc10ae87aa6729d"),
            ("message digest", "d9130a8164549fe818874806e1c7014b"),
            ("abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"),
            (
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                "043f8582f241db351ce627e153e7f0e4"
            ),
            (
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
                "e33b4ddc9c38f2199c3e7b164fcc0536"
            ),
        ]
    )
    func rfcVector(message: String, digest: String) {
        #expect(MD4.hash(Array(message.utf8)).hexString == digest)
    }

    /// [MS-NLMP] 4.2.2.1.2: NTOWFv1("Password") = MD4(UNICODE("Password")).
    @Test("NT hash of the MS-NLMP example password")
    func ntHash() {
        let password = NTLMv2.utf16LittleEndian("Password")
        #expect(MD4.hash(password) == [UInt8](hex: "a4 f4 9c 40 65 10 bd ca b6 82 4e e7 c3 0f d8 52"))
    }

    /// The padding branches: up to 55 tail bytes fit one final block, 56...63 need a second
    /// one, and 64 is a whole block plus a padding block. Expected digests from OpenSSL's
    /// legacy provider: `printf 'a%.0s' $(seq 1 N) | openssl dgst -md4 -provider legacy`.
    @Test(
        "Padding boundaries (cross-checked with OpenSSL)",
        arguments: [
            (55, "c889c81dd86c4d2e025778944ea02881"),
            (56, "d5f9a9e9257077a5f08b0b92f348b0ad"),
            (57, "872097e6f78e3b53f890459d03bc6fb7"),
            (63, "7ea3da77432d44c323671097d1348fc8"),
            (64, "52f5076fabd22680234a3fa9f9dc5732"),
            (65, "330e377bf231f3cacfecc2c182fe7e5b"),
            (119, "e65dd227ccef97fa1d34d70189120f76"),
            (120, "b03ddbd470b47c013e0c7ab2ddd763db"),
            (128, "cb4a20a561558e29460190c91dced59f"),
        ]
    )
    func paddingBoundary(length: Int, digest: String) {
        #expect(MD4.hash([UInt8](repeating: 0x61, count: length)).hexString == digest)
    }
}
