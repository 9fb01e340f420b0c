/// RAR archives. Facts from RARLAB's "RAR 5.0 archive format" and the RAR 4.x technote:
/// - RAR 4 starts with 52 61 72 21 1A 07 00, RAR 5 with 52 61 72 21 1A 07 01 00;
/// - a RAR 5 header is CRC32 (u32, over everything from the size field on), the header size
///   (vint: 7 bits per byte, high bit set while more follow), the header type (vint), …; the
///   end of archive header has type 5 and is the archive's last header.
///
/// Which facts fail a backup: the signature; for RAR 5, an end of archive header whose CRC
/// holds and which ends exactly at the end of the file. RAR 4's end block is optional (older
/// versions did not write it): only shown.
enum RarArchive {
    static let rar4: [UInt8] = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x00]
    static let rar5: [UInt8] = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00]

    static func matches(_ head: ByteView) -> Bool {
        head.starts(with: rar4) || head.starts(with: rar5)
    }

    static func inspect(_ sample: ContentSample) -> ContentVerdict {
        let head = ByteView(sample.head)
        if head.starts(with: rar4) {
            return .verified(ContentFacts(format: .rar4, compressed: true, notes: ["RAR 4: the end is not checked"]))
        }
        let end = ByteView(sample.end)
        guard hasEndOfArchive(end) else {
            return .incomplete(
                "no RAR 5 end of archive header at the end of the file: the archive is cut off, "
                    + "or still being written")
        }
        return .verified(ContentFacts(format: .rar5, compressed: true))
    }

    /// An end of archive header (type 5) with a valid CRC that ends where `view` ends.
    static func hasEndOfArchive(_ view: ByteView) -> Bool {
        let count = view.count
        for start in stride(from: count - 7, through: max(0, count - 64), by: -1) {
            guard let crc = view.u32(start), let (size, sizeLength) = vint(view, at: start + 4) else { continue }
            let headerEnd = start + 4 + sizeLength + Int(clamping: size)
            guard size > 0, size < 64, headerEnd == count,
                let (type, _) = vint(view, at: start + 4 + sizeLength), type == 5,
                let covered = view.slice(start + 4, sizeLength + Int(size))
            else { continue }
            if CRC32.checksum(covered) == crc { return true }
        }
        return false
    }

    /// A RAR 5 variable-length integer at `at`: its value and its length in bytes.
    static func vint(_ view: ByteView, at: Int) -> (UInt64, Int)? {
        var value: UInt64 = 0
        for index in 0..<10 {
            guard let byte = view.u8(at + index) else { return nil }
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 { return (value, index + 1) }
        }
        return nil
    }
}
