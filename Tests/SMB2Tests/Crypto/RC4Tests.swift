import Testing

@testable import SMB2

@Suite("RC4")
struct RC4Tests {
    /// RFC 6229 section 2: keystream bytes at the given offsets for the 40-bit key
    /// 0x0102030405 and the 128-bit key 0x0102...10 (encrypting zeros yields the keystream).
    @Test(
        "RFC 6229 keystream",
        arguments: [
            ("0102030405", 0, "b2 39 63 05 f0 3d c0 27 cc c3 52 4a 0a 11 18 a8"),
            ("0102030405", 16, "69 82 94 4f 18 fc 82 d5 89 c4 03 a4 7a 0d 09 19"),
            ("0102030405", 240, "28 cb 11 32 c9 6c e2 86 42 1d ca ad b8 b6 9e ae"),
            ("0102030405", 256, "1c fc f6 2b 03 ed db 64 1d 77 df cf 7f 8d 8c 93"),
            ("0102030405", 4080, "06 83 26 a2 11 84 16 d2 1f 9d 04 b2 cd 1c a0 50"),
            ("0102030405", 4096, "ff 25 b5 89 95 99 67 07 e5 1f bd f0 8b 34 d8 75"),
            ("0102030405060708090a0b0c0d0e0f10", 0, "9a c7 cc 9a 60 9d 1e f7 b2 93 28 99 cd e4 1b 97"),
            ("0102030405060708090a0b0c0d0e0f10", 16, "52 48 c4 95 90 14 12 6a 6e 8a 84 f1 1d 1a 9e 1c"),
            ("0102030405060708090a0b0c0d0e0f10", 240, "06 59 02 e4 b6 20 f6 cc 36 c8 58 9f 66 43 2f 2b"),
            ("0102030405060708090a0b0c0d0e0f10", 256, "d3 9d 56 6b c6 bc e3 01 07 68 15 15 49 f3 87 3f"),
            ("0102030405060708090a0b0c0d0e0f10", 4080, "ff 38 26 5c 16 42 c1 ab e8 d3 c2 fe 5e 57 2b f8"),
            ("0102030405060708090a0b0c0d0e0f10", 4096, "a3 6a 4c 30 1a e8 ac 13 61 0c cb c1 22 56 ca cc"),
        ]
    )
    func rfc6229(key: String, offset: Int, keystream: String) {
        let output = RC4.apply(key: [UInt8](hex: key), to: [UInt8](repeating: 0, count: offset + 16))
        #expect(Array(output[offset...]) == [UInt8](hex: keystream))
    }

    /// [MS-NLMP] 4.2.4.2.3: EncryptedRandomSessionKey = RC4(KeyExchangeKey, RandomSessionKey)
    /// with KeyExchangeKey = the NTLMv2 SessionBaseKey of 4.2.4.1.2 and RandomSessionKey = 0x55 * 16.
    @Test("MS-NLMP 4.2.4.2.3 encrypted random session key")
    func ntlmKeyExchange() {
        let keyExchangeKey = [UInt8](hex: "8d e4 0c ca db c1 4a 82 f1 5c b0 ad 0d e9 5c a3")
        let randomSessionKey = [UInt8](repeating: 0x55, count: 16)
        let encrypted = RC4.apply(key: keyExchangeKey, to: randomSessionKey)
        #expect(encrypted == [UInt8](hex: "c5 da d2 54 4f c9 79 90 94 ce 1c e9 0b c9 d0 3e"))
        #expect(RC4.apply(key: keyExchangeKey, to: encrypted) == randomSessionKey)
    }

    @Test("Empty input gives empty output")
    func emptyInput() {
        #expect(RC4.apply(key: [1, 2, 3, 4, 5], to: []).isEmpty)
    }
}
