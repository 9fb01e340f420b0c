/// The file-name patterns that make a file a backup (`BACKUP_PATTERNS`, SPEC §4).
///
/// Patterns are shell-style globs (`*` any run, `?` one character), matched against the
/// whole name, case-insensitively as Windows names are.
public struct BackupPatterns: Sendable, Hashable, CustomStringConvertible {
    public static let `default` = BackupPatterns(["*.bak", "*.zip", "*.7z", "*.rar", "*.gz"])!

    public let patterns: [String]
    private let lowercased: [[Character]]

    /// Returns nil when the list is empty or holds an empty pattern.
    public init?(_ patterns: [String]) {
        let cleaned = patterns.map { $0.trimmingWhitespace() }
        guard !cleaned.isEmpty, cleaned.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.patterns = cleaned
        self.lowercased = cleaned.map { Array($0.lowercased()) }
    }

    /// Parses a comma-separated list such as `*.bak,*.zip`.
    public init?(commaSeparated text: String) {
        self.init(text.split(separator: ",").map(String.init))
    }

    public var description: String { patterns.joined(separator: ", ") }

    public func matches(_ name: String) -> Bool {
        let candidate = Array(name.lowercased())
        return lowercased.contains { Self.glob($0, matches: candidate) }
    }

    /// Iterative wildcard match with single-star backtracking: linear in practice, no recursion.
    private static func glob(_ pattern: [Character], matches name: [Character]) -> Bool {
        var p = 0
        var n = 0
        var starAt: Int?
        var resumeAt = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == name[n] {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == "*" {
                starAt = p
                resumeAt = n
                p += 1
            } else if let star = starAt {
                p = star + 1
                resumeAt += 1
                n = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
