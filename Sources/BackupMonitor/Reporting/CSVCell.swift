import Foundation

/// One CSV cell, RFC 4180-quoted, with text that starts like a spreadsheet formula (`=`, `+`,
/// `-`, `@`, tab, carriage return) prefixed by a quote mark, as OWASP advises against CSV
/// injection. Shared by the CLI's output and the web export.
public enum CSVCell {
    /// Checks bytes, not characters: every character that matters is ASCII, which never occurs
    /// inside a multi-byte UTF-8 sequence, and the export escapes four cells per row (walking
    /// grapheme clusters took a tenth of its time). A CR LF pair, one character in Swift, is
    /// quoted like a lone CR or LF.
    public static func escape(_ value: String) -> String {
        let formula = value.utf8.first.map(startsFormula) ?? false
        let quote = value.utf8.contains(where: needsQuotes)
        guard formula || quote else { return value }
        let text = formula ? "'" + value : value
        guard quote else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func startsFormula(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    private static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }
}
