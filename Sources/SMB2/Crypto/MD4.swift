/// The MD4 message digest (RFC 1320).
///
/// MD4 is broken as a general-purpose hash; it exists here only because the NT one-way
/// function of [MS-NLMP] 3.3.1/3.3.2 is MD4 over the UTF-16LE password, and swift-crypto
/// (rightly) does not ship it.
enum MD4 {
    /// Length of the digest in bytes.
    static let digestLength = 16

    /// Returns the 16-byte MD4 digest of `message` (RFC 1320 section 3).
    static func hash(_ message: [UInt8]) -> [UInt8] {
        var state = State()
        let fullBlocks = message.count / 64
        message.withUnsafeBytes { bytes in
            for block in 0..<fullBlocks {
                state.compress(UnsafeRawBufferPointer(rebasing: bytes[(block * 64)..<(block * 64 + 64)]))
            }
        }

        // RFC 1320 3.1/3.2: append 0x80, zero-pad to 56 mod 64, then the bit length as 64-bit
        // little-endian. The tail therefore spans one or two final blocks; build them on the stack.
        let tailStart = fullBlocks * 64
        let tailCount = message.count - tailStart
        let paddedCount = tailCount < 56 ? 64 : 128
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
            tail.initialize(repeating: 0)
            for index in 0..<tailCount {
                tail[index] = message[tailStart + index]
            }
            tail[tailCount] = 0x80
            let bitLength = UInt64(truncatingIfNeeded: message.count) &* 8
            for index in 0..<8 {
                tail[paddedCount - 8 + index] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(index)))
            }
            let raw = UnsafeRawBufferPointer(tail)
            state.compress(UnsafeRawBufferPointer(rebasing: raw[0..<64]))
            if paddedCount == 128 {
                state.compress(UnsafeRawBufferPointer(rebasing: raw[64..<128]))
            }
        }
        return state.digest
    }
}

extension MD4 {
    /// The four 32-bit chaining registers A, B, C, D (RFC 1320 3.3).
    private struct State {
        // Shift amounts of each round and word order of rounds 2 and 3 (RFC 1320 3.4), hoisted so that no
        // array is built per block.
        private static let round1Shifts: [UInt32] = [3, 7, 11, 19]
        private static let round2Order = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15]
        private static let round2Shifts: [UInt32] = [3, 5, 9, 13]
        private static let round3Order = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15]
        private static let round3Shifts: [UInt32] = [3, 9, 11, 15]

        private var a: UInt32 = 0x6745_2301
        private var b: UInt32 = 0xefcd_ab89
        private var c: UInt32 = 0x98ba_dcfe
        private var d: UInt32 = 0x1032_5476

        /// Little-endian A, B, C, D (RFC 1320 3.5).
        var digest: [UInt8] {
            var output = [UInt8]()
            output.reserveCapacity(MD4.digestLength)
            for word in [a, b, c, d] {
                for shift in stride(from: 0, to: 32, by: 8) {
                    output.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
                }
            }
            return output
        }

        /// Processes one 64-byte block (RFC 1320 3.4).
        mutating func compress(_ block: UnsafeRawBufferPointer) {
            precondition(block.count == 64)
            func word(_ index: Int) -> UInt32 {
                UInt32(littleEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
            }
            // Registers rotate after every step: the value just computed becomes "b" and the
            // others shift right, which expresses the RFC's [abcd k s] / [dabc k s] / ... pattern
            // as one loop per round.
            var (a, b, c, d) = (self.a, self.b, self.c, self.d)

            for step in 0..<16 {
                let f = (b & c) | (~b & d)
                let sum = a &+ f &+ word(step)
                (a, b, c, d) = (d, rotateLeft(sum, by: Self.round1Shifts[step & 3]), b, c)
            }

            for step in 0..<16 {
                let g = (b & c) | (b & d) | (c & d)
                let sum = a &+ g &+ word(Self.round2Order[step]) &+ 0x5a82_7999
                (a, b, c, d) = (d, rotateLeft(sum, by: Self.round2Shifts[step & 3]), b, c)
            }

            for step in 0..<16 {
                let h = b ^ c ^ d
                let sum = a &+ h &+ word(Self.round3Order[step]) &+ 0x6ed9_eba1
                (a, b, c, d) = (d, rotateLeft(sum, by: Self.round3Shifts[step & 3]), b, c)
            }

            self.a &+= a
            self.b &+= b
            self.c &+= c
            self.d &+= d
        }

        private func rotateLeft(_ value: UInt32, by amount: UInt32) -> UInt32 {
            (value << amount) | (value >> (32 - amount))
        }
    }
}
