import Crypto

/// The SP800-108 key derivation function in counter mode with HMAC-SHA256 as the PRF, as
/// [MS-SMB2] 3.1.4.2 uses it to derive the signing, encryption, decryption and application keys.
///
/// Each PRF input is `i || Label || 0x00 || Context || L` with `i` and `L` 32-bit big-endian
/// (r = 32) and `i` counting from 1; the outputs are concatenated and cut to `L` bits.
enum SP800108 {
    /// Derives `lengthInBits` bits of key material from `key`.
    ///
    /// `label` and `context` are passed exactly as [MS-SMB2] 3.1.4.2 / 3.2.5.3.1 state them,
    /// i.e. labels such as "SMB2AESCMAC" *with* their terminating NUL; this function adds the
    /// SP800-108 0x00 separator itself, so the PRF sees two zero bytes after such a label.
    ///
    /// - Precondition: `lengthInBits` is a positive multiple of 8 (SMB uses 128 and 256).
    static func deriveKey(key: [UInt8], label: [UInt8], context: [UInt8], lengthInBits: Int = 128) -> [UInt8] {
        precondition(lengthInBits > 0 && lengthInBits % 8 == 0, "L must be a positive multiple of 8 bits")
        precondition(lengthInBits <= Int(UInt32.max), "L must fit the 32-bit length field")
        let byteCount = lengthInBits / 8
        var output = [UInt8]()
        output.reserveCapacity(byteCount + SHA256.byteCount)
        var counter: UInt32 = 1
        while output.count < byteCount {
            output += PlainHMAC.authenticationCode(
                SHA256.self, key: key, bigEndianBytes(counter), label, [0], context,
                bigEndianBytes(UInt32(lengthInBits)))
            counter += 1
        }
        output.removeLast(output.count - byteCount)
        return output
    }

    private static func bigEndianBytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
