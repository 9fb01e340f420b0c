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
}

extension String {
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
