import Foundation

/// A CSV export of the original system's tables read one record at a time from a file, in
/// 1 MiB chunks: a 1.46-million-row history streams with flat memory.
///
/// Quoted fields (PowerShell's `Export-Csv`) may hold commas, doubled quotes and line breaks;
/// unquoted ones (SSMS, `bcp -c -t,`, `sqlcmd -s"," -W`) end at the next comma. Each record
/// keeps the line it starts on, so every problem names its line.
struct LegacyCSVStream {
    struct Record {
        var line: Int
        var fields: [String]
        /// Whether each field was quoted (an unquoted `NULL` is SQL's NULL, a quoted one is text).
        var quoted: [Bool]
    }

    struct ReadError: Error, CustomStringConvertible {
        var line: Int
        var problem: String
        var description: String { "line \(line): \(problem)" }
    }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var line = 1
    private static let chunk = 1 << 20

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReadError(line: 0, problem: "cannot open \(path)")
        }
        self.handle = handle
        try refill()
        if buffer.starts(with: [0xFF, 0xFE]) || buffer.starts(with: [0xFE, 0xFF]) {
            throw ReadError(
                line: 1, problem: "the file is UTF-16; save it as UTF-8 (SSMS: Save with Encoding → UTF-8)")
        }
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// Keeps the unread bytes and appends the next chunk; false at the end of the file.
    @discardableResult
    private mutating func refill() throws -> Bool {
        guard !atEnd else { return false }
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let data = try handle.read(upToCount: Self.chunk) ?? Data()
        if data.isEmpty {
            atEnd = true
            try? handle.close()
            return false
        }
        buffer.append(contentsOf: data)
        return true
    }

    /// The byte at `position`, refilling as needed; nil at the end of the file.
    private mutating func peek() throws -> UInt8? {
        if position >= buffer.count, !(try refill()) { return nil }
        return buffer[position]
    }

    /// The next non-blank record, or nil at the end of the file.
    mutating func next() throws -> Record? {
        while true {
            guard try peek() != nil else { return nil }
            let start = line
            var fields: [String] = []
            var quoted: [Bool] = []
            var endOfRecord = false
            while !endOfRecord {
                var bytes: [UInt8] = []
                var wasQuoted = false
                if try peek() == UInt8(ascii: "\"") {
                    wasQuoted = true
                    position += 1
                    while true {
                        guard let byte = try peek() else {
                            throw ReadError(line: start, problem: "a quoted field is never closed")
                        }
                        position += 1
                        if byte == UInt8(ascii: "\"") {
                            if try peek() == UInt8(ascii: "\"") {
                                bytes.append(byte)
                                position += 1
                                continue
                            }
                            break
                        }
                        if byte == UInt8(ascii: "\n") { line += 1 }
                        bytes.append(byte)
                    }
                }
                // Up to the next comma or the end of the line (after a closing quote: only those).
                while let byte = try peek() {
                    position += 1
                    if byte == UInt8(ascii: ",") { break }
                    if byte == UInt8(ascii: "\n") {
                        line += 1
                        endOfRecord = true
                        break
                    }
                    if byte == UInt8(ascii: "\r") { continue }
                    if wasQuoted {
                        guard byte == UInt8(ascii: " ") else {
                            throw ReadError(line: line, problem: "text after a closing quote")
                        }
                        continue
                    }
                    bytes.append(byte)
                }
                if try peek() == nil { endOfRecord = true }
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw ReadError(line: start, problem: "a field is not UTF-8 text")
                }
                fields.append(text)
                quoted.append(wasQuoted)
            }
            if fields.count == 1, fields[0].trimmingCharacters(in: .whitespaces).isEmpty, !quoted[0] { continue }
            return Record(line: start, fields: fields, quoted: quoted)
        }
    }
}
