/// A piece of HTML that is safe to write into a page as it is.
///
/// Interpolating a `String` into an `HTML` literal escapes it, so every value from the database
/// or the request is escaped by default (SPEC §11: an outlet named `<script>` stays text);
/// only literals in our own source and other `HTML` values go in unescaped.
struct HTML: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var text: String

    init(raw text: String) {
        self.text = text
    }

    init(stringLiteral value: String) {
        text = value
    }

    init(stringInterpolation: StringInterpolation) {
        text = stringInterpolation.text
    }

    var description: String { text }

    static let empty = HTML(raw: "")

    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(raw: lhs.text + rhs.text) }

    static func += (lhs: inout HTML, rhs: HTML) { lhs.text += rhs.text }

    mutating func reserveCapacity(_ bytes: Int) { text.reserveCapacity(bytes) }

    /// Text escaped for element content and quoted attribute values alike.
    ///
    /// Works on UTF-8 bytes: the five characters escaped are ASCII, which never occurs inside a
    /// multi-byte sequence. Most values (codes, dates, file names) need nothing, and are returned
    /// as they are: the servers page escapes some 10 000 of them.
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: Self.needsEscape) else { return value }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(value.utf8.count + 16)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): escaped += "&amp;".utf8
            case UInt8(ascii: "<"): escaped += "&lt;".utf8
            case UInt8(ascii: ">"): escaped += "&gt;".utf8
            case UInt8(ascii: "\""): escaped += "&quot;".utf8
            case UInt8(ascii: "'"): escaped += "&#39;".utf8
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var text = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        mutating func appendLiteral(_ literal: String) { text += literal }
        mutating func appendInterpolation(_ value: HTML) { text += value.text }
        mutating func appendInterpolation(_ values: [HTML]) { for value in values { text += value.text } }
        mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        mutating func appendInterpolation(_ value: String?) { text += HTML.escape(value ?? "") }
        mutating func appendInterpolation(_ value: Int) { text += String(value) }
        mutating func appendInterpolation(_ value: some CustomStringConvertible & Sendable) {
            text += HTML.escape(value.description)
        }
    }
}

extension Array where Element == HTML {
    func joined() -> HTML { HTML(raw: map(\.text).joined()) }
}

extension HTML {
    /// `selected` / `checked` and similar boolean attributes.
    static func attribute(_ name: String, if condition: Bool) -> HTML {
        condition ? HTML(raw: " " + name) : .empty
    }
}
