/// ZIP archives. Facts from PKWARE's APPNOTE.TXT (version 6.3.10):
/// - a local file header starts with 0x04034b50 ("PK\3\4"), its general purpose flag (offset
///   6) has bit 0 set when the entry is encrypted (§4.3.7, §4.4.4);
/// - the end of central directory record (0x06054b50, 22 bytes plus a comment of at most
///   65 535 bytes) ends the file: central directory size at 12, its offset at 16, the comment
///   length at 20 (§4.3.16); 0xFFFFFFFF there means ZIP64, whose EOCD locator (0x07064b50,
///   20 bytes) comes right before it (§4.3.15);
/// - central directory headers start with 0x02014b50 (§4.3.12).
///
/// Which facts fail a backup: the local header (or an empty archive's EOCD) at offset 0, an
/// EOCD record that ends exactly at the end of the file, and a central directory that lies
/// before it.
enum ZipArchive {
    static let localHeader: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let endRecord: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    static let zip64Locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07]
    static let centralHeader: [UInt8] = [0x50, 0x4B, 0x01, 0x02]

    static func matches(_ head: ByteView) -> Bool {
        head.starts(with: localHeader) || head.starts(with: endRecord)
    }

    static func inspect(_ sample: ContentSample) -> ContentVerdict {
        let head = ByteView(sample.head)
        var facts = ContentFacts(format: .zip, compressed: true)
        if head.starts(with: localHeader) {
            facts.encrypted = (head.u16(6) ?? 0) & 1 != 0
            facts.compressed = head.u16(8) != 0
        }
        let end = ByteView(sample.end)
        let endOffset = sample.endOffset
        // The EOCD whose comment reaches exactly to the end of the file, searched from the end.
        let record = end.offsets(of: endRecord).last { offset in
            guard let comment = end.u16(offset + 20) else { return false }
            return UInt64(offset) + endOffset + 22 + UInt64(comment) == sample.fileSize
        }
        guard let record else {
            return .incomplete(
                "no end of central directory record at the end of the file: the archive is cut off, "
                    + "or still being written")
        }
        let recordAt = endOffset + UInt64(record)
        guard let size = end.u32(record + 12), let offset = end.u32(record + 16) else {
            return .incomplete("the end of central directory record is cut off")
        }
        if offset == 0xFFFF_FFFF || size == 0xFFFF_FFFF {
            guard end.starts(with: zip64Locator, at: record - 20), let zip64 = end.u64(record - 20 + 8),
                zip64 < sample.fileSize
            else {
                return .incomplete("a ZIP64 archive without its ZIP64 end record locator")
            }
            return .verified(facts)
        }
        guard UInt64(offset) + UInt64(size) <= recordAt else {
            return .incomplete(
                "its central directory (\(size) bytes at \(offset)) would end past the end record at \(recordAt)")
        }
        // When the central directory lies in the bytes read, it must start with its signature.
        if size > 0, UInt64(offset) >= endOffset {
            let local = Int(UInt64(offset) - endOffset)
            guard end.starts(with: centralHeader, at: local) else {
                return .incomplete("no central directory header where the end record says it starts")
            }
        }
        return .verified(facts)
    }
}
