import Foundation

/// Human text for a byte count, as the original system showed sizes (`2.45 GB`).
///
/// Binary multiples (1 KB = 1024 bytes), as Windows Explorer shows them.
public enum ByteCountText {
    public static func format(_ bytes: UInt64) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB", "PB"]
        if bytes < 1024 { return "\(bytes) bytes" }
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(String(format2: hundredths % 100)) \(units[unit])"
    }

    /// The bytes a size text such as `2.45 GB` (the original system's, 1024-based) stands for,
    /// approximately; a bare number is bytes. Nil for anything else.
    public static func approximateBytes(_ text: String) -> UInt64? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(parts.count), let value = Double(parts[0]), value.isFinite, value >= 0 else {
            return nil
        }
        let exponent: Int
        switch parts.count == 1 ? "bytes" : parts[1].uppercased() {
        case "B", "BYTE", "BYTES": exponent = 0
        case "KB", "KIB": exponent = 1
        case "MB", "MIB": exponent = 2
        case "GB", "GIB": exponent = 3
        case "TB", "TIB": exponent = 4
        case "PB", "PIB": exponent = 5
        default: return nil
        }
        let bytes = value * pow(1024, Double(exponent))
        guard bytes < 9e18 else { return nil }
        return UInt64(bytes.rounded())
    }
}

extension String {
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
