extension Array where Element == UInt8 {
    /// Bytes from a hex string such as "0c868a40" or "0c 86 8a 40"; whitespace is ignored so
    /// vectors can be pasted in the spacing their spec prints them with. Traps on anything
    /// else (an odd digit count or a non-hex character), which in a test is a typo in a literal.
    init(hex: String) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for character in hex.utf8 {
            if character == 0x20 || character == 0x0a || character == 0x09 || character == 0x0d {
                continue
            }
            guard let nibble = Self.nibble(character) else {
                preconditionFailure("not a hex digit: \(UnicodeScalar(character)) in \(hex)")
            }
            if let pending = high {
                bytes.append(pending << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        precondition(high == nil, "odd number of hex digits in \(hex)")
        self = bytes
    }

    /// Lower-case hex without separators, for readable failure messages.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(count * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x41...0x46: character - 0x41 + 10
        case 0x61...0x66: character - 0x61 + 10
        default: nil
        }
    }
}
