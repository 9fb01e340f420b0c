import Foundation

/// Where records live (SPEC §10): a SQLite file by default, PostgreSQL when `DATABASE_URL` says so.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Accepts `sqlite:PATH`, `sqlite://PATH`, `file:PATH`, a bare path ending in `.sqlite`/`.db`,
    /// and `postgres://` / `postgresql://` URLs.
    public init(url text: String) throws {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let url = URL(string: trimmed), url.host != nil, url.path.count > 1 else {
                throw ParseError(description: "expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
            }
            self = .postgres(url: trimmed)
            return
        }
        for prefix in ["sqlite://", "sqlite:", "file:"] where trimmed.hasPrefix(prefix) {
            let path = String(trimmed.dropFirst(prefix.count))
            guard !path.isEmpty else { throw ParseError(description: "the SQLite path is empty") }
            self = .sqlite(path: path)
            return
        }
        if trimmed.hasSuffix(".sqlite") || trimmed.hasSuffix(".db") || trimmed.hasSuffix(".sqlite3") {
            self = .sqlite(path: trimmed)
            return
        }
        throw ParseError(description: "expected sqlite:PATH or postgres://USER@HOST:PORT/DATABASE")
    }

    /// The URL with any password replaced, safe for logs and pages.
    public var description: String {
        switch self {
        case .sqlite(let path):
            return "sqlite:\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "*****" }
            return components.string ?? "postgres://…"
        }
    }
}
