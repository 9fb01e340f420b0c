/// The few DER ([X.690]) shapes SPNEGO needs: definite lengths, constructed tags, OIDs, octet
/// strings and enumerated values. Decoding is strict about lengths so a hostile token cannot
/// make us read past its end.
enum DER {
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 {
            bytes.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func element(tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    /// One decoded element: its tag and content bytes.
    struct Element {
        var tag: UInt8
        var content: ArraySlice<UInt8>
    }

    /// Reads consecutive elements from `bytes`.
    struct Reader {
        private var bytes: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
        }

        var isAtEnd: Bool { bytes.isEmpty }

        mutating func next() throws -> Element {
            guard let tag = bytes.first else { throw malformed }
            var index = bytes.index(after: bytes.startIndex)
            guard index < bytes.endIndex else { throw malformed }
            let first = bytes[index]
            index += 1
            var length = 0
            if first < 0x80 {
                length = Int(first)
            } else {
                let count = Int(first & 0x7F)
                // Four length bytes (4 GiB) is far beyond any token; more is garbage.
                guard count >= 1, count <= 4, bytes.endIndex - index >= count else { throw malformed }
                for _ in 0..<count {
                    length = length << 8 | Int(bytes[index])
                    index += 1
                }
            }
            guard bytes.endIndex - index >= length else { throw malformed }
            let content = bytes[index..<(index + length)]
            bytes = bytes[(index + length)...]
            return Element(tag: tag, content: content)
        }

        mutating func next(expecting tag: UInt8) throws -> Element {
            let element = try next()
            guard element.tag == tag else { throw malformed }
            return element
        }
    }

    static let malformed = SMB2Error.protocolError("malformed SPNEGO token (DER)")
}
