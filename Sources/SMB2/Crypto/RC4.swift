/// The RC4 stream cipher, needed only for NTLMSSP key exchange: with NTLMSSP_NEGOTIATE_KEY_EXCH
/// the client sends its random session key RC4-encrypted under the key exchange key
/// ([MS-NLMP] 3.1.5.1.2, EncryptedRandomSessionKey). swift-crypto does not ship RC4.
enum RC4 {
    /// Encrypts or decrypts `data` (the operation is its own inverse) with a fresh RC4 state
    /// keyed by `key`, starting at keystream offset 0.
    ///
    /// - Precondition: `key` is 1...256 bytes long.
    static func apply(key: [UInt8], to data: [UInt8]) -> [UInt8] {
        precondition((1...256).contains(key.count), "RC4 key must be 1 to 256 bytes, got \(key.count)")
        var state = [UInt8](repeating: 0, count: 256)
        var output = data
        state.withUnsafeMutableBufferPointer { s in
            // Key-scheduling algorithm.
            for index in 0..<256 {
                s[index] = UInt8(truncatingIfNeeded: index)
            }
            var j: UInt8 = 0
            for index in 0..<256 {
                j = j &+ s[index] &+ key[index % key.count]
                s.swapAt(index, Int(j))
            }
            // Pseudo-random generation, XORed into the copy of the input.
            var i: UInt8 = 0
            j = 0
            output.withUnsafeMutableBufferPointer { bytes in
                for position in bytes.indices {
                    i = i &+ 1
                    j = j &+ s[Int(i)]
                    s.swapAt(Int(i), Int(j))
                    bytes[position] ^= s[Int(s[Int(i)] &+ s[Int(j)])]
                }
            }
        }
        return output
    }
}
