import PostgresKit

/// A database error as a sentence a person can act on. PostgresNIO redacts a server error's
/// text from its description (it may hold data); the server's message and SQLSTATE are what an
/// operator needs to see why a record was not stored.
enum StorageErrorText {
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return "PostgreSQL: \(message)\(state)"
        }
        return String(describing: error)
    }
}
