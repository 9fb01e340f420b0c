/// 7z archives. Facts from 7zFormat.txt (7-Zip's DOC/7zFormat.txt, "SignatureHeader"):
/// 6 signature bytes '7' 'z' BC AF 27 1C, the version (2 bytes), StartHeaderCRC (u32) over the
/// next 20 bytes: NextHeaderOffset (u64, from the end of the 32-byte signature header),
/// NextHeaderSize (u64), NextHeaderCRC (u32). The next header begins with kHeader (0x01) or
/// kEncodedHeader (0x17). 7-Zip writes the start header last: zeros there mean the archive
/// is still being written or was never finished.
///
/// Which facts fail a backup: the signature, the start header's CRC, a next header that lies
/// beyond the end of the file, and (when it lies in the bytes read) its CRC and first byte.
enum SevenZipArchive {
    static let signature: [UInt8] = [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]

    static func matches(_ head: ByteView) -> Bool {
        head.starts(with: signature)
    }

    static func inspect(_ sample: ContentSample) -> ContentVerdict {
        let head = ByteView(sample.head)
        guard let startCRC = head.u32(8), let startHeader = head.slice(12, 20),
            let nextOffset = head.u64(12), let nextSize = head.u64(20), let nextCRC = head.u32(28)
        else {
            return .incomplete("the file ends inside its 7z signature header")
        }
        if startCRC == 0, startHeader.allSatisfy({ $0 == 0 }) {
            return .incomplete("its 7z start header is not written yet: the archive is being written, or was cut")
        }
        guard CRC32.checksum(startHeader) == startCRC else {
            return .notABackup("its 7z start header's CRC is wrong")
        }
        let (start, overflow) = UInt64(32).addingReportingOverflow(nextOffset)
        let (end, overflow2) = start.addingReportingOverflow(nextSize)
        guard !overflow, !overflow2, end <= sample.fileSize else {
            return .incomplete(
                "its header (\(nextSize) bytes at \(start)) lies beyond the end of the file "
                    + "(\(sample.fileSize) bytes): the archive is cut off")
        }
        let facts = ContentFacts(format: .sevenZip, compressed: true)
        let bytes = ByteView(sample.end)
        if nextSize > 0, start >= sample.endOffset, nextSize <= UInt64(bytes.count) {
            let local = Int(start - sample.endOffset)
            if let header = bytes.slice(local, Int(nextSize)) {
                guard CRC32.checksum(header) == nextCRC else {
                    return .incomplete("its 7z header's CRC is wrong: the end of the archive is damaged")
                }
                guard let first = header.first, first == 0x01 || first == 0x17 else {
                    return .incomplete("its 7z header does not start with a header marker")
                }
            }
        }
        return .verified(facts)
    }
}
