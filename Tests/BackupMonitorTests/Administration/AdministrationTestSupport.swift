import Crypto
import Foundation

@testable import BackupMonitor

/// A hash that is quick to make: these tests are about the rules around the hash, and the web
/// tests exercise bcrypt itself.
struct QuickHasher: PasswordHashing {
    func hash(_ password: String) async throws -> String {
        "sha256:" + SHA256.hash(data: Data(password.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension UseCaseError {
    /// `kind` and `field` in one comparable value, for `#expect`.
    var shape: String { "\(kind.rawValue) \(field ?? "-")" }
}

/// Runs `body` and returns the use-case error it throws, or nil when it throws none.
func refusal(_ body: () async throws -> Void) async throws -> UseCaseError? {
    do {
        try await body()
        return nil
    } catch let error as UseCaseError {
        return error
    }
}
