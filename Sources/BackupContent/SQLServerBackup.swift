import Foundation

/// SQL Server native backups: Microsoft Tape Format (MTF 1.00a), and the `MSSQLBAK` header of
/// compressed ones.
///
/// Facts from the MTF 1.00a specification ("Microsoft Tape Format Specification Version
/// 1.00a", Seagate Software, 1997):
/// - every descriptor block (DBLK) starts with the 52-byte common block header: a 4-character
///   type ("TAPE", "SSET", "VOLB", "ESET", …), block attributes (u32), …, the string type at
///   byte 48 (1 ANSI, 2 Unicode) and at byte 50 a checksum, the word-wise XOR of the 25
///   16-bit words before it (§5.1);
/// - a media starts with the TAPE DBLK; its software name (a tape address: size, offset from
///   the block's start) is at byte 80 (§5.2.1);
/// - a data set starts with an SSET DBLK: attributes at 52 (COPY 0x2, NORMAL 0x4,
///   DIFFERENTIAL 0x8, INCREMENTAL 0x10), the data set name at 64, the user name at 76; its
///   common header's attributes carry MTF_ENCRYPTION (bit 9) and MTF_COMPRESSION (bit 1)
///   (§5.2.2);
/// - a VOLB DBLK names the machine at byte 64 (§5.2.3);
/// - a data set ends with an ESET DBLK (§5.2.9): a file without one at its end is cut off,
///   or still being written.
///
/// Which facts fail a backup: the TAPE block's type and checksum at offset 0, and an ESET
/// block with a valid checksum in the tail. Everything else (kind, names, flags) is shown.
enum SQLServerBackup {
    static let tape: [UInt8] = Array("TAPE".utf8)
    static let compressedMagic: [UInt8] = Array("MSSQLBAK".utf8)
    static let headerSize = 52

    static func matches(_ head: ByteView) -> Bool {
        head.starts(with: tape) || head.starts(with: compressedMagic)
    }

    static func inspect(_ sample: ContentSample) -> ContentVerdict {
        let head = ByteView(sample.head)
        if head.starts(with: compressedMagic) {
            // Compressed backups: recognised as backups; their headers are not decoded, so their
            // end cannot be checked the MTF way.
            return .verified(
                ContentFacts(
                    format: .sqlServerCompressed, compressed: true,
                    notes: ["compressed backup: only its start is checked"]))
        }
        guard isBlock(head, at: 0, type: tape) else {
            return .notABackup("it starts with \"TAPE\" but its tape header block's checksum is wrong")
        }
        var facts = ContentFacts(format: .sqlServer)
        facts.software = string(head, block: 0, field: 80)
        // SSET and VOLB follow the TAPE block (after a soft filemark), within the first block
        // when the block size is the default; their absence there is not a failure.
        if let sset = firstBlock(head, type: "SSET") {
            let attributes = head.u32(sset + 52) ?? 0
            facts.kind =
                attributes & 0x2 != 0
                ? .copyOnly
                : attributes & 0x8 != 0
                    ? .differential : attributes & 0x10 != 0 ? .log : attributes & 0x4 != 0 ? .full : nil
            let blockAttributes = head.u32(sset + 4) ?? 0
            facts.encrypted = blockAttributes & 0x200 != 0
            facts.compressed = blockAttributes & 0x2 != 0
            facts.database = databaseName(fromSetName: string(head, block: sset, field: 64))
        }
        if let volb = firstBlock(head, type: "VOLB") {
            facts.server = string(head, block: volb, field: 64)
        }
        if sample.headIsWholeFile && sample.head.count < 2 * headerSize {
            return .incomplete("the file ends inside its tape header block")
        }
        let end = ByteView(sample.end)
        guard firstBlock(end, type: "ESET") != nil else {
            let size = sample.end.count
            return .incomplete(
                "no end-of-set (ESET) block in the last \(ContentInspector.describe(bytes: size)): "
                    + "the copy is cut off, or SQL Server is still writing it")
        }
        return .verified(facts)
    }

    /// A DBLK of `type` at `offset` whose header checksum holds.
    static func isBlock(_ view: ByteView, at offset: Int, type: [UInt8]) -> Bool {
        guard view.starts(with: type, at: offset), let stored = view.u16(offset + 50) else { return false }
        var sum: UInt16 = 0
        for word in 0..<25 {
            guard let value = view.u16(offset + 2 * word) else { return false }
            sum ^= value
        }
        return sum == stored
    }

    static func firstBlock(_ view: ByteView, type: String) -> Int? {
        let magic = Array(type.utf8)
        return view.offsets(of: magic).first { isBlock(view, at: $0, type: magic) }
    }

    /// A string of the DBLK at `block` whose tape address (size, offset) is at `field`.
    static func string(_ view: ByteView, block: Int, field: Int) -> String? {
        guard let size = view.u16(block + field), let offset = view.u16(block + field + 2), size > 0,
            let bytes = view.slice(block + Int(offset), Int(size))
        else { return nil }
        let unicode = view.u8(block + 48) == 2
        let text: String
        if unicode {
            let units = stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map {
                UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8
            }
            text = String(decoding: units, as: UTF16.self)
        } else {
            text = String(decoding: bytes, as: UTF8.self)
        }
        let trimmed = text.trimmingCharacters(in: .controlCharacters.union(.whitespaces))
        return trimmed.isEmpty ? nil : String(trimmed.prefix(128))
    }

    /// SQL Server names a backup set "<database>-Full Database Backup" unless told otherwise
    /// (BACKUP … WITH NAME); only that default form gives the database.
    static func databaseName(fromSetName name: String?) -> String? {
        guard let name else { return nil }
        for suffix in [
            "-Full Database Backup", "-Differential Database Backup", "-Transaction Log  Backup",
            "-Transaction Log Backup",
        ]
        where name.hasSuffix(suffix) {
            let database = String(name.dropLast(suffix.count))
            return database.isEmpty ? nil : database
        }
        return nil
    }
}
