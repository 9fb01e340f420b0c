import Crypto
import _CryptoExtras

/// AES in CCM mode (RFC 3610, NIST SP800-38C), generic over the nonce length (7...13 bytes)
/// and tag length (4, 6, ..., 16 bytes). SMB 3.x uses it with an 11-byte nonce and a 16-byte
/// tag ([MS-SMB2] 2.2.41, 3.1.4.3); swift-crypto has no CCM, so it is composed here from the
/// AES primitives swift-crypto does have:
///
/// - the CBC-MAC is the last block of one AES-CBC encryption (zero IV, no padding) over the
///   formatted input `B0 || encoded AAD || padded payload` (SP800-38C 6.1 steps 1-4), so the
///   whole message is MACed by one BoringSSL call rather than one call per block;
/// - the payload is encrypted by one AES-CTR call whose initial counter block is `A1`
///   (BoringSSL increments the full 128-bit block big-endian, which is exactly the CCM counter
///   as long as the q-byte counter field cannot overflow, and the length check guarantees that);
/// - `S0 = E(A0)`, the block that masks the tag, is one AES block permutation.
enum AESCCM {
    /// Encrypts and authenticates `plaintext` with `aad` as additional authenticated data.
    ///
    /// - Returns: the ciphertext (same length as `plaintext`) and a tag of `tagLength` bytes.
    /// - Throws: `SMB2CryptoError` for a key, nonce or tag length CCM does not define, or a
    ///   payload too long for the nonce's counter field.
    static func seal(
        key: [UInt8],
        nonce: [UInt8],
        plaintext: [UInt8],
        aad: [UInt8],
        tagLength: Int = 16
    ) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        let parameters = try Parameters(key: key, nonce: nonce, tagLength: tagLength, payloadLength: plaintext.count)
        let mac = try parameters.cbcMAC(nonce: nonce, aad: aad, payload: plaintext)
        let ciphertext = try parameters.counterMode(nonce: nonce, plaintext)
        let tag = try parameters.maskedTag(mac, nonce: nonce)
        return (ciphertext, tag)
    }

    /// Decrypts `ciphertext` and checks `tag` (whose length selects the CCM tag length).
    ///
    /// - Returns: the plaintext, only if the tag verifies.
    /// - Throws: `SMB2CryptoError.authenticationFailed` when the tag does not match, or another
    ///   `SMB2CryptoError` for parameters CCM does not define.
    static func open(
        key: [UInt8],
        nonce: [UInt8],
        ciphertext: [UInt8],
        tag: [UInt8],
        aad: [UInt8]
    ) throws -> [UInt8] {
        let parameters = try Parameters(key: key, nonce: nonce, tagLength: tag.count, payloadLength: ciphertext.count)
        let plaintext = try parameters.counterMode(nonce: nonce, ciphertext)
        let mac = try parameters.cbcMAC(nonce: nonce, aad: aad, payload: plaintext)
        let expectedTag = try parameters.maskedTag(mac, nonce: nonce)
        guard ConstantTime.equal(expectedTag, tag) else {
            throw SMB2CryptoError.authenticationFailed
        }
        return plaintext
    }
}

extension AESCCM {
    /// Validated CCM parameters (SP800-38C A.1, RFC 3610 section 2).
    private struct Parameters {
        let key: SymmetricKey
        /// Octets of the counter / length field: q = 15 - n.
        let lengthFieldSize: Int
        let tagLength: Int

        init(key: [UInt8], nonce: [UInt8], tagLength: Int, payloadLength: Int) throws {
            guard [16, 24, 32].contains(key.count) else {
                throw SMB2CryptoError(.invalidKeyLength, "AES-CCM key must be 16, 24 or 32 bytes, got \(key.count)")
            }
            guard (7...13).contains(nonce.count) else {
                throw SMB2CryptoError(.invalidNonceLength, "AES-CCM nonce must be 7 to 13 bytes, got \(nonce.count)")
            }
            guard (4...16).contains(tagLength), tagLength % 2 == 0 else {
                throw SMB2CryptoError(.invalidTagLength, "AES-CCM tag must be 4, 6, ..., 16 bytes, got \(tagLength)")
            }
            let lengthFieldSize = 15 - nonce.count
            // The payload length must fit the q-octet field of B0 (Q < 2^(8q)).
            if lengthFieldSize < 8 && UInt64(payloadLength) >> (8 * UInt64(lengthFieldSize)) != 0 {
                throw SMB2CryptoError(
                    .messageTooLong,
                    "AES-CCM with a \(nonce.count)-byte nonce protects less than 2^\(8 * lengthFieldSize) bytes"
                )
            }
            self.key = SymmetricKey(data: key)
            self.lengthFieldSize = lengthFieldSize
            self.tagLength = tagLength
        }

        /// CBC-MAC over B0, the encoded AAD and the payload; returns the full 16-byte value T.
        func cbcMAC(nonce: [UInt8], aad: [UInt8], payload: [UInt8]) throws -> [UInt8] {
            let aadHeader = Self.encodedAADLength(aad.count)
            let aadBlockLength = aad.isEmpty ? 0 : Self.roundedUpToBlock(aadHeader.count + aad.count)
            var input = [UInt8]()
            input.reserveCapacity(16 + aadBlockLength + Self.roundedUpToBlock(payload.count))

            // B0: flags || N || Q (SP800-38C A.2.1).
            let adataFlag: UInt8 = aad.isEmpty ? 0 : 0x40
            input.append(adataFlag | UInt8((tagLength - 2) / 2) << 3 | UInt8(lengthFieldSize - 1))
            input.append(contentsOf: nonce)
            Self.appendBigEndian(UInt64(payload.count), byteCount: lengthFieldSize, to: &input)

            // Encoded AAD length, AAD, zero padding (SP800-38C A.2.2).
            if !aad.isEmpty {
                input.append(contentsOf: aadHeader)
                input.append(contentsOf: aad)
                Self.padToBlock(&input)
            }

            // Payload, zero padding (SP800-38C A.2.3).
            input.append(contentsOf: payload)
            Self.padToBlock(&input)

            let chained = try AES._CBC.encrypt(
                input, using: key, iv: AES._CBC.IV(ivBytes: Self.zeroBlock), noPadding: true)
            return Array(chained.suffix(16))
        }

        /// AES-CTR over `data` starting at counter block A1 (SP800-38C 6.1 steps 6-8).
        func counterMode(nonce: [UInt8], _ data: [UInt8]) throws -> [UInt8] {
            if data.isEmpty {
                return []
            }
            let firstCounter = counterBlock(nonce: nonce, index: 1)
            return Array(try AES._CTR.encrypt(data, using: key, nonce: AES._CTR.Nonce(nonceBytes: firstCounter)))
        }

        /// MSB_Tlen(T) XOR MSB_Tlen(S0) with S0 = E(A0) (SP800-38C 6.1 step 9).
        func maskedTag(_ mac: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
            var s0 = counterBlock(nonce: nonce, index: 0)
            try AES.permute(&s0, key: key)
            return (0..<tagLength).map { mac[$0] ^ s0[$0] }
        }

        /// A_i = flags || N || [i]_q with flags = q - 1 (SP800-38C A.3).
        private func counterBlock(nonce: [UInt8], index: UInt64) -> [UInt8] {
            var block = [UInt8(lengthFieldSize - 1)]
            block.reserveCapacity(16)
            block.append(contentsOf: nonce)
            Self.appendBigEndian(index, byteCount: lengthFieldSize, to: &block)
            return block
        }

        private static let zeroBlock = [UInt8](repeating: 0, count: 16)

        /// The AAD length prefix of SP800-38C A.2.2: 2 bytes below 2^16 - 2^8, else 0xFFFE and
        /// 4 bytes below 2^32, else 0xFFFF and 8 bytes.
        private static func encodedAADLength(_ length: Int) -> [UInt8] {
            var encoded = [UInt8]()
            if length == 0 {
                return encoded
            } else if length < 0xff00 {
                appendBigEndian(UInt64(length), byteCount: 2, to: &encoded)
            } else if UInt64(length) <= UInt64(UInt32.max) {
                encoded = [0xff, 0xfe]
                appendBigEndian(UInt64(length), byteCount: 4, to: &encoded)
            } else {
                encoded = [0xff, 0xff]
                appendBigEndian(UInt64(length), byteCount: 8, to: &encoded)
            }
            return encoded
        }

        private static func appendBigEndian(_ value: UInt64, byteCount: Int, to bytes: inout [UInt8]) {
            for index in stride(from: byteCount - 1, through: 0, by: -1) {
                bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))))
            }
        }

        private static func padToBlock(_ bytes: inout [UInt8]) {
            let remainder = bytes.count % 16
            if remainder != 0 {
                bytes.append(contentsOf: repeatElement(0, count: 16 - remainder))
            }
        }

        private static func roundedUpToBlock(_ count: Int) -> Int {
            (count + 15) / 16 * 16
        }
    }
}
