import Foundation

/// One CSV cell, RFC 4180-quoted, with text that starts like a spreadsheet formula (`=`, `+`,
/// `-`, `@`, tab, carriage return) prefixed by a quote mark, as OWASP advises against CSV
/// injection. Shared by the CLI's output and the web export.
public enum CSVCell {
    public static func escape(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
