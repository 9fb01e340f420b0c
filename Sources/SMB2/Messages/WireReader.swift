import NIOCore

/// A bounds-checked little-endian reader over one wire structure.
///
/// Every read checks the remaining length and throws a protocol error instead of trapping, so
/// no decoder can crash on a truncated or hostile message. Offsets are relative to the start of
/// the structure (for SMB2 messages: the first byte of the SMB2 header, as [MS-SMB2] offsets are).
struct WireReader {
    let buffer: ByteBuffer
    private(set) var offset: Int
    /// Names the structure in error messages.
    let what: String

    init(_ buffer: ByteBuffer, offset: Int = 0, what: String) {
        self.buffer = buffer.slice()
        self.offset = offset
        self.what = what
    }

    init(bytes: [UInt8], offset: Int = 0, what: String) {
        self.init(ByteBuffer(bytes: bytes), offset: offset, what: what)
    }

    var count: Int { buffer.readableBytes }
    var remaining: Int { max(0, count - offset) }

    private func check(_ at: Int, _ length: Int) throws {
        guard at >= 0, length >= 0, at <= count, length <= count - at else {
            throw SMB2Error.protocolError("\(what) truncated or has an out-of-range field")
        }
    }

    mutating func u8() throws -> UInt8 { try integer(UInt8.self) }
    mutating func u16() throws -> UInt16 { try integer(UInt16.self) }
    mutating func u32() throws -> UInt32 { try integer(UInt32.self) }
    mutating func u64() throws -> UInt64 { try integer(UInt64.self) }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let value = try integer(at: offset, type)
        offset += MemoryLayout<T>.size
        return value
    }

    func integer<T: FixedWidthInteger>(at position: Int, _ type: T.Type) throws -> T {
        try check(position, MemoryLayout<T>.size)
        guard let value = buffer.getInteger(at: buffer.readerIndex + position, endianness: .little, as: T.self)
        else {
            throw SMB2Error.protocolError("\(what) truncated")
        }
        return value
    }

    mutating func bytes(_ length: Int) throws -> [UInt8] {
        let value = try bytes(at: offset, count: length)
        offset += length
        return value
    }

    func bytes(at position: Int, count length: Int) throws -> [UInt8] {
        try check(position, length)
        return buffer.getBytes(at: buffer.readerIndex + position, length: length) ?? []
    }

    func slice(at position: Int, count length: Int) throws -> ByteBuffer {
        try check(position, length)
        return buffer.getSlice(at: buffer.readerIndex + position, length: length) ?? ByteBuffer()
    }

    mutating func skip(_ length: Int) throws {
        try check(offset, length)
        offset += length
    }

    /// Reads a UTF-16LE string; an odd byte count or invalid surrogates are protocol errors.
    func utf16String(at position: Int, byteCount: Int) throws -> String {
        guard byteCount % 2 == 0 else {
            throw SMB2Error.protocolError("\(what) has an odd UTF-16 length")
        }
        let raw = try bytes(at: position, count: byteCount)
        return try UTF16LE.decode(raw, what: what)
    }

    /// Reads a file name from a directory listing. NTFS allows names that are no valid UTF-16
    /// (a lone surrogate); one such file next to a good backup must not fail the whole outlet, so
    /// what cannot be decoded (and an odd last byte) reads as U+FFFD instead of an error.
    func fileName(at position: Int, byteCount: Int) throws -> String {
        let raw = try bytes(at: position, count: byteCount)
        let name = UTF16LE.decodeReplacingErrors(raw)
        return byteCount % 2 == 0 ? name : name + "\u{FFFD}"
    }

    /// Throws unless `structureSize` matches the fixed part ([MS-SMB2] 2.2: StructureSize).
    mutating func expectStructureSize(_ expected: UInt16) throws {
        let size = try u16()
        guard size == expected else {
            throw SMB2Error.protocolError("\(what) has StructureSize \(size), expected \(expected)")
        }
    }
}

/// UTF-16LE, the string encoding of SMB2 and NTLMSSP (with NTLMSSP_NEGOTIATE_UNICODE).
enum UTF16LE {
    static func encode(_ string: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(string.utf16.count * 2)
        for unit in string.utf16 {
            out.append(UInt8(truncatingIfNeeded: unit))
            out.append(UInt8(truncatingIfNeeded: unit >> 8))
        }
        return out
    }

    static func decode(_ bytes: [UInt8], what: String) throws -> String {
        guard let text = decode(bytes, replacingErrors: false) else {
            throw SMB2Error.protocolError("\(what) has an invalid UTF-16 string")
        }
        return text
    }

    /// Decodes `bytes`, with U+FFFD for each unit that is no valid UTF-16.
    static func decodeReplacingErrors(_ bytes: [UInt8]) -> String {
        decode(bytes, replacingErrors: true) ?? ""
    }

    /// nil on invalid UTF-16 unless `replacingErrors`.
    private static func decode(_ bytes: [UInt8], replacingErrors: Bool) -> String? {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 0
        while index + 1 < bytes.count {
            units.append(UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8)
            index += 2
        }
        var result = ""
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): result.unicodeScalars.append(scalar)
            case .emptyInput: break loop
            case .error:
                guard replacingErrors else { return nil }
                result.unicodeScalars.append("\u{FFFD}")
            }
        }
        return result
    }
}

extension ByteBuffer {
    /// Writes integers little-endian, the byte order of every SMB2/NTLMSSP field.
    @discardableResult
    mutating func writeLE<T: FixedWidthInteger>(_ value: T) -> Int {
        writeInteger(value, endianness: .little)
    }

    mutating func setLE<T: FixedWidthInteger>(_ value: T, at index: Int) {
        setInteger(value, at: index, endianness: .little)
    }

    /// Pads with zeros up to a multiple of `alignment` (relative to index 0).
    mutating func padTo(alignment: Int) {
        let rest = writerIndex % alignment
        if rest != 0 {
            writeRepeatingByte(0, count: alignment - rest)
        }
    }
}
