import Crypto

/// HMAC (RFC 2104) for the one-off MACs of session setup: NTLMv2's HMAC-MD5s ([MS-NLMP] 3.3.2,
/// 3.4.4.2) and the SP800-108 PRF ([MS-SMB2] 3.1.4.2).
///
/// `HMAC(K, m) = H((K' xor opad) || H((K' xor ipad) || m))`, K' being the key padded with zeros
/// to the hash's block size (or its hash, when longer). Built here on swift-crypto's hash
/// functions, specialized for the concrete hash: swift-crypto's generic `HMAC<H>` set-up
/// cost several times the MAC itself for these short inputs, and a session setup computes
/// about eight of them.
enum PlainHMAC {
    /// The MAC of the concatenation of `parts` under `key`.
    static func authenticationCode<H: HashFunction>(
        _ hash: H.Type, key: [UInt8], _ parts: [UInt8]...
    ) -> [UInt8] {
        authenticationCode(hash, key: key, parts: parts)
    }

    static func authenticationCode<H: HashFunction>(_ hash: H.Type, key: [UInt8], parts: [[UInt8]]) -> [UInt8] {
        var block = key.count > H.blockByteCount ? Array(H.hash(data: key)) : key
        block += [UInt8](repeating: 0, count: H.blockByteCount - block.count)

        var inner = H()
        var pad = block
        for index in pad.indices { pad[index] ^= 0x36 }
        pad.withUnsafeBytes { inner.update(bufferPointer: $0) }
        for part in parts {
            part.withUnsafeBytes { inner.update(bufferPointer: $0) }
        }
        let innerDigest = inner.finalize()

        var outer = H()
        for index in pad.indices { pad[index] = block[index] ^ 0x5C }
        pad.withUnsafeBytes { outer.update(bufferPointer: $0) }
        innerDigest.withUnsafeBytes { outer.update(bufferPointer: $0) }
        return Array(outer.finalize())
    }
}
