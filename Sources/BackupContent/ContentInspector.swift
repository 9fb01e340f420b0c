/// Chooses a backup's format by its content first and its name second, and says what the
/// content shows (SPEC §5). Pure: the same bytes always give the same verdict.
public enum ContentInspector {
    /// The file name's extension decides only when the content matches no known format: a
    /// `.zip` that is HTML is "not a backup", a `.bck` of unknown layout is "not checked".
    public static func inspect(_ sample: ContentSample, fileName: String) -> ContentVerdict {
        let head = ByteView(sample.head)
        if sample.fileSize == 0 || sample.head.isEmpty {
            return .notABackup("the file is empty")
        }
        if SQLServerBackup.matches(head) { return SQLServerBackup.inspect(sample) }
        if ZipArchive.matches(head) { return ZipArchive.inspect(sample) }
        if SevenZipArchive.matches(head) { return SevenZipArchive.inspect(sample) }
        if RarArchive.matches(head) { return RarArchive.inspect(sample) }
        if GzipStream.matches(head) { return GzipStream.inspect(sample) }
        let expected = expectedFormat(fileName)
        if sample.head.isAllZero {
            return .notABackup("the first \(describe(bytes: sample.head.count)) are all zero")
        }
        guard let expected else {
            let suffix = fileExtension(fileName).map { ".\($0) files" } ?? "files without an extension"
            return .unchecked("the layout of \(suffix) is not known: content not checked")
        }
        return .notABackup("not a \(expected.label): \(whatItIs(head))")
    }

    /// The format a file's extension promises, if we know it.
    static func expectedFormat(_ fileName: String) -> BackupFormat? {
        switch fileExtension(fileName) {
        case "bak"?: .sqlServer
        case "zip"?: .zip
        case "gz"?, "tgz"?: .gzip
        case "7z"?: .sevenZip
        case "rar"?: .rar5
        default: nil
        }
    }

    static func fileExtension(_ fileName: String) -> String? {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return nil }
        let ext = fileName[fileName.index(after: dot)...].lowercased()
        return ext.isEmpty ? nil : ext
    }

    /// A few words on what the first bytes look like.
    static func whatItIs(_ head: ByteView) -> String {
        let start = head.bytes.prefix(512)
        let text = String(decoding: start, as: UTF8.self).lowercased()
        if text.contains("<!doctype html") || text.contains("<html") { return "it is an HTML page" }
        if start.first == UInt8(ascii: "<") { return "it is XML or HTML text" }
        if start.first == UInt8(ascii: "{") || start.first == UInt8(ascii: "[") { return "it looks like JSON text" }
        if head.starts(with: Array("%PDF".utf8)) { return "it is a PDF document" }
        let printable = start.filter { (0x20...0x7E).contains($0) || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if !start.isEmpty, printable.count * 10 >= start.count * 9 {
            let words = String(decoding: start.prefix(40), as: UTF8.self)
                .map { $0.isNewline ? " " : $0 }
            return "it is text (\"\(String(words).trimmed)…\")"
        }
        let hex = head.bytes.prefix(8).map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }
        return "it starts with the bytes \(hex.joined(separator: " "))"
    }

    /// "64 KiB", "512 bytes".
    public static func describe(bytes: Int) -> String {
        if bytes >= 1024, bytes % 1024 == 0 { return "\(bytes / 1024) KiB" }
        return "\(bytes) bytes"
    }
}

extension String {
    fileprivate var trimmed: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
