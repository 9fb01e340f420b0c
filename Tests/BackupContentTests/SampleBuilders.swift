@testable import BackupContent

/// Files built from the documented layouts (see each parser's notes), for the parsers' tests.
enum SampleBuilders {
    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
    static func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8((value >> (8 * UInt64($0))) & 0xFF) } }

    /// An MTF DBLK: `type`, block attributes, `fields` after the 52-byte common header, then
    /// Unicode strings addressed by (size, offset) tape addresses patched into `fields`.
    static func dblk(
        _ type: String, attributes: UInt32 = 0, fields: [UInt8], strings: [(at: Int, text: String)] = [],
        size: Int = 1024
    )
        -> [UInt8]
    {
        var block = [UInt8](repeating: 0, count: size)
        block.replaceSubrange(0..<4, with: Array(type.utf8))
        block.replaceSubrange(4..<8, with: le32(attributes))
        block[48] = 2  // Unicode strings
        block.replaceSubrange(52..<(52 + fields.count), with: fields)
        var next = 52 + fields.count + 16
        for (at, text) in strings {
            let bytes = text.utf16.flatMap { le16($0) }
            block.replaceSubrange(at..<(at + 4), with: le16(UInt16(bytes.count)) + le16(UInt16(next)))
            block.replaceSubrange(next..<(next + bytes.count), with: bytes)
            next += bytes.count
        }
        var sum: UInt16 = 0
        for word in 0..<25 { sum ^= UInt16(block[2 * word]) | UInt16(block[2 * word + 1]) << 8 }
        block.replaceSubrange(50..<52, with: le16(sum))
        return block
    }

    /// A SQL Server backup as MTF: TAPE, SFMB, SSET (with `ssetAttributes`), VOLB, then data,
    /// then ESET at the end (unless `withEnd` is false).
    static func sqlServerBackup(
        database: String = "RetailPOS", server: String = "OUTLET0001", ssetAttributes: UInt32 = 0x4,
        encrypted: Bool = false, dataBytes: Int = 200_000, withEnd: Bool = true
    ) -> [UInt8] {
        var file = dblk("TAPE", fields: [UInt8](repeating: 0, count: 44), strings: [(80, "Microsoft SQL Server")])
        file += dblk("SFMB", fields: [UInt8](repeating: 0, count: 8))
        file += dblk(
            "SSET", attributes: encrypted ? 0x200 : 0, fields: le32(ssetAttributes) + [UInt8](repeating: 0, count: 42),
            strings: [(64, "\(database)-Full Database Backup"), (76, "NT AUTHORITY\\SYSTEM")])
        file += dblk("VOLB", fields: [UInt8](repeating: 0, count: 29), strings: [(64, server)])
        file += [UInt8](repeating: 0x5A, count: dataBytes)
        if withEnd {
            file += dblk("ESET", fields: [UInt8](repeating: 0, count: 30))
            file += dblk("SFMB", fields: [UInt8](repeating: 0, count: 8))
        }
        return file
    }

    /// A ZIP with one stored entry, written by the APPNOTE layout.
    static func zip(name: String = "backup.bak", content: [UInt8] = Array("hello".utf8), comment: String = "")
        -> [UInt8]
    {
        let nameBytes = Array(name.utf8)
        let crc = CRC32.checksum(content)
        var file: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + le16(20) + le16(0) + le16(0) + le16(0) + le16(0)
        file +=
            le32(crc) + le32(UInt32(content.count)) + le32(UInt32(content.count)) + le16(UInt16(nameBytes.count))
            + le16(0)
        file += nameBytes + content
        let centralOffset = file.count
        var central: [UInt8] = [0x50, 0x4B, 0x01, 0x02] + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0)
        central += le32(crc) + le32(UInt32(content.count)) + le32(UInt32(content.count)) + le16(UInt16(nameBytes.count))
        central += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + nameBytes
        file += central
        let commentBytes = Array(comment.utf8)
        file += [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(1) + le16(1)
        file +=
            le32(UInt32(central.count)) + le32(UInt32(centralOffset)) + le16(UInt16(commentBytes.count)) + commentBytes
        return file
    }

    /// A 7z archive: signature header, `body`, then a next header starting with kHeader.
    static func sevenZip(body: [UInt8] = [UInt8](repeating: 0x33, count: 5000), finished: Bool = true) -> [UInt8] {
        let header: [UInt8] = [0x01, 0x04, 0x06, 0x00, 0x00]
        var start = le64(UInt64(body.count)) + le64(UInt64(header.count)) + le32(CRC32.checksum(header))
        if !finished { start = [UInt8](repeating: 0, count: 20) }
        let crc = finished ? CRC32.checksum(start) : 0
        return [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0x00, 0x04] + le32(crc) + start + body + header
    }

    /// A RAR 5 archive: signature, `body`, and the end of archive header.
    static func rar5(body: [UInt8] = [UInt8](repeating: 0x44, count: 3000), withEnd: Bool = true) -> [UInt8] {
        let endHeader: [UInt8] = [0x03, 0x05, 0x04, 0x00]
        var file: [UInt8] = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00] + body
        if withEnd { file += le32(CRC32.checksum(endHeader)) + endHeader }
        return file
    }

    /// The sample the monitor would read of `file` with `block`-byte reads.
    static func sample(_ file: [UInt8], block: Int = 65_536) -> ContentSample {
        let head = Array(file.prefix(block))
        let tail = file.count > block ? Array(file.suffix(block)) : []
        return ContentSample(head: head, tail: tail, fileSize: UInt64(file.count))
    }
}
