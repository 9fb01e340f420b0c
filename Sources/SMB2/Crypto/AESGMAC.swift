import Crypto
import _CryptoExtras

/// AES-128-GMAC (NIST SP800-38D: GCM with an empty plaintext; RFC 4543), the SMB 3.1.1 signing
/// algorithm selected by SMB2_SIGNING_CAPABILITIES ([MS-SMB2] 3.1.4.1), keyed once per session.
///
/// swift-crypto's `AES.GCM.seal` sets up a fresh GCM context for every call and goes through
/// several generic layers: for the short messages SMB signs (a scan signs or checks about 15
/// per outlet, most under 200 bytes) that cost far more than the MAC itself. Here the hash key
/// `H = E(K, 0^128)` is computed once, each message costs one AES block (`E(K, J0)`) and the
/// GHASH of its blocks, and nothing is allocated per block.
///
/// GHASH multiplies in GF(2^128) with integer multiplications only (no table indexed by secret
/// data), so its timing does not depend on the key or the state.
struct AESGMAC: Sendable {
    private let key: SymmetricKey
    private let hash: GHASH

    /// - Precondition: `key` is 16, 24 or 32 bytes (SMB 3.1.1 signing keys are 16).
    init(key keyBytes: [UInt8]) {
        precondition([16, 24, 32].contains(keyBytes.count), "AES-GMAC key must be 16, 24 or 32 bytes")
        key = SymmetricKey(data: keyBytes)
        var zero = [UInt8](repeating: 0, count: 16)
        Self.encryptBlock(&zero, key: key)
        hash = GHASH(hashKey: zero)
    }

    /// The 16-byte tag over `message` with the 12-byte `nonce` (RFC 4543: the AAD is the
    /// message, the plaintext is empty). `zeroing` is a block-aligned range of `message` taken
    /// as zeros (the SMB2 Signature field, offset 48, length 16).
    func tag(nonce: [UInt8], message: UnsafeRawBufferPointer, zeroing: Range<Int>) -> [UInt8] {
        precondition(nonce.count == 12, "AES-GMAC nonce must be 12 bytes")
        precondition(zeroing.lowerBound % 16 == 0 && zeroing.count % 16 == 0, "zeroed range must be whole blocks")
        var state = GHASH.State()
        var offset = 0
        let count = message.count
        while offset + 16 <= count {
            if !zeroing.contains(offset) {
                state.absorb(hash, GHASH.block(message, at: offset))
            } else {
                state.absorb(hash, 0)
            }
            offset += 16
        }
        if offset < count {
            // The last partial block, padded with zeros (SP800-38D 6.4: u zero bits of padding).
            var last = [UInt8](repeating: 0, count: 16)
            if !zeroing.contains(offset) {
                for index in offset..<count { last[index - offset] = message[index] }
            }
            state.absorb(hash, last.withUnsafeBytes { GHASH.block($0, at: 0) })
        }
        // len(A) || len(C) in bits; C is empty.
        state.absorb(hash, UInt128(UInt64(count) &* 8) << 64)

        var mask = nonce + [0, 0, 0, 1]  // J0 for a 96-bit IV
        Self.encryptBlock(&mask, key: key)
        var tag = mask
        let value = state.value
        for index in 0..<16 {
            tag[index] ^= UInt8(truncatingIfNeeded: value >> (120 - 8 * index))
        }
        return tag
    }

    private static func encryptBlock(_ block: inout [UInt8], key: SymmetricKey) {
        do {
            try AES.permute(&block, key: key)
        } catch {
            // Only a block that is not 16 bytes throws; every caller passes 16.
            preconditionFailure("AES block function rejected a 16-byte block: \(error)")
        }
    }
}

/// The GHASH function of NIST SP800-38D 6.4 for one hash key H.
///
/// A 16-byte block is held as a 128-bit integer read big-endian, so its first bit (the
/// coefficient of x^0 in GCM's bit order) is the integer's most significant bit: the integer
/// is the bit reversal of the polynomial. The carry-less product of two reversed 128-bit
/// values is the reversed 255-bit product, so shifting it left once gives the 256-bit product
/// in the same order, which is then reduced modulo x^128 + x^7 + x^2 + x + 1.
struct GHASH: Sendable {
    /// H's two 64-bit halves, their XOR (Karatsuba), and the bit reversals of all three.
    private let high: UInt64
    private let low: UInt64
    private let mixed: UInt64
    private let highReversed: UInt64
    private let lowReversed: UInt64
    private let mixedReversed: UInt64

    /// The running value Y_i of one GHASH computation.
    struct State {
        private(set) var value: UInt128 = 0

        /// Y_i = (Y_{i-1} xor X_i) * H.
        mutating func absorb(_ hash: GHASH, _ block: UInt128) {
            value = hash.multiply(value ^ block)
        }
    }

    init(hashKey: [UInt8]) {
        precondition(hashKey.count == 16, "GHASH key must be 16 bytes")
        let key = hashKey.withUnsafeBytes { Self.block($0, at: 0) }
        high = UInt64(truncatingIfNeeded: key >> 64)
        low = UInt64(truncatingIfNeeded: key)
        mixed = high ^ low
        highReversed = Self.reverse(high)
        lowReversed = Self.reverse(low)
        mixedReversed = highReversed ^ lowReversed
    }

    /// The 16 bytes at `offset` as a big-endian 128-bit integer.
    static func block(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt128 {
        let first = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let second = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        return UInt128(first) << 64 | UInt128(second)
    }

    /// `x * H` in GF(2^128), both in GCM's bit order.
    func multiply(_ x: UInt128) -> UInt128 {
        let xHigh = UInt64(truncatingIfNeeded: x >> 64)
        let xLow = UInt64(truncatingIfNeeded: x)
        let xMixed = xHigh ^ xLow
        // Karatsuba: three 64x64 carry-less products instead of four.
        let highProduct = Self.carrylessMultiply(xHigh, high, Self.reverse(xHigh), highReversed)
        let lowProduct = Self.carrylessMultiply(xLow, low, Self.reverse(xLow), lowReversed)
        let middle =
            Self.carrylessMultiply(xMixed, mixed, Self.reverse(xMixed), mixedReversed) ^ highProduct ^ lowProduct
        // The reversed 255-bit product as (upper, lower) 128-bit halves, then shifted left once.
        var upper = highProduct ^ (middle >> 64)
        var lower = lowProduct ^ (middle << 64)
        upper = upper << 1 | lower >> 127
        lower <<= 1
        // `upper` holds the coefficients of x^0...x^127, `lower` those of x^128...x^255. Fold
        // `lower` in with x^128 = 1 + x + x^2 + x^7 (a right shift by k multiplies by x^k here);
        // the bits that fall off the end (x^128...x^134) are folded in once more.
        let overflow = lower << 127 ^ lower << 126 ^ lower << 121
        return upper ^ lower ^ lower >> 1 ^ lower >> 2 ^ lower >> 7 ^ overflow ^ overflow >> 1 ^ overflow >> 2
            ^ overflow >> 7
    }

    /// The 128-bit carry-less product of `x` and `y`; `xReversed` and `yReversed` are their bit
    /// reversals. The low half is `clmul(x, y)` mod 2^64; the high half comes from the low half
    /// of the reversed operands' product, reversed and shifted once (the product has 127 bits).
    private static func carrylessMultiply(_ x: UInt64, _ y: UInt64, _ xReversed: UInt64, _ yReversed: UInt64)
        -> UInt128
    {
        let lowHalf = carrylessMultiplyLow(x, y)
        let highHalf = reverse(carrylessMultiplyLow(xReversed, yReversed)) >> 1
        return UInt128(highHalf) << 64 | UInt128(lowHalf)
    }

    /// The low 64 bits of the carry-less product, with ordinary multiplications: each operand
    /// is split into four parts whose set bits are 4 apart, so in each partial product at most
    /// 15 one-bits meet at any position below 60 and their sum's carries stay inside the gaps;
    /// masking keeps the bits of the right residue class (the "holes" technique).
    private static func carrylessMultiplyLow(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let m0: UInt64 = 0x1111_1111_1111_1111
        let m1: UInt64 = 0x2222_2222_2222_2222
        let m2: UInt64 = 0x4444_4444_4444_4444
        let m3: UInt64 = 0x8888_8888_8888_8888
        let x0 = x & m0
        let x1 = x & m1
        let x2 = x & m2
        let x3 = x & m3
        let y0 = y & m0
        let y1 = y & m1
        let y2 = y & m2
        let y3 = y & m3
        let z0 = (x0 &* y0) ^ (x1 &* y3) ^ (x2 &* y2) ^ (x3 &* y1)
        let z1 = (x0 &* y1) ^ (x1 &* y0) ^ (x2 &* y3) ^ (x3 &* y2)
        let z2 = (x0 &* y2) ^ (x1 &* y1) ^ (x2 &* y0) ^ (x3 &* y3)
        let z3 = (x0 &* y3) ^ (x1 &* y2) ^ (x2 &* y1) ^ (x3 &* y0)
        return (z0 & m0) | (z1 & m1) | (z2 & m2) | (z3 & m3)
    }

    /// The bit reversal of a 64-bit word.
    static func reverse(_ word: UInt64) -> UInt64 {
        var value = word
        value = (value >> 1) & 0x5555_5555_5555_5555 | (value & 0x5555_5555_5555_5555) << 1
        value = (value >> 2) & 0x3333_3333_3333_3333 | (value & 0x3333_3333_3333_3333) << 2
        value = (value >> 4) & 0x0F0F_0F0F_0F0F_0F0F | (value & 0x0F0F_0F0F_0F0F_0F0F) << 4
        return value.byteSwapped
    }
}
