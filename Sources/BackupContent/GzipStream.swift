/// gzip files. Facts from RFC 1952 §2.3.1: ID1 0x1f, ID2 0x8b, CM 8 (deflate; 0–7 are
/// reserved), FLG bits 5–7 reserved and zero. A member ends with CRC32 and ISIZE, which
/// cannot be checked without inflating the whole file; a tail of nothing but zeros (a
/// preallocated or cut file) is not what deflate ends with.
enum GzipStream {
    static let magic: [UInt8] = [0x1F, 0x8B]

    static func matches(_ head: ByteView) -> Bool {
        head.starts(with: magic)
    }

    static func inspect(_ sample: ContentSample) -> ContentVerdict {
        let head = ByteView(sample.head)
        guard let method = head.u8(2), let flags = head.u8(3) else {
            return .incomplete("the file ends inside its gzip header")
        }
        guard method == 8 else {
            return .notABackup("a gzip header with compression method \(method), not deflate (8)")
        }
        guard flags & 0xE0 == 0 else {
            return .notABackup("a gzip header with reserved flag bits set (FLG 0x\(String(flags, radix: 16)))")
        }
        if sample.headIsWholeFile && sample.head.count < 18 {
            return .incomplete("the file ends before a gzip member could (\(sample.head.count) bytes)")
        }
        if !sample.tail.isEmpty, sample.tail.isAllZero {
            return .incomplete(
                "the last \(ContentInspector.describe(bytes: sample.tail.count)) are all zero: "
                    + "the file is cut off or was never finished")
        }
        return .verified(
            ContentFacts(format: .gzip, compressed: true, notes: ["gzip: the end of the stream is not checked"]))
    }
}
