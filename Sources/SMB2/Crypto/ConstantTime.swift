/// Comparison whose running time does not depend on where two byte strings differ, for
/// checking MACs and signatures without leaking how many leading bytes an attacker got right.
enum ConstantTime {
    /// True when `lhs` and `rhs` have the same length and bytes. Only the lengths leak.
    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else {
            return false
        }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
