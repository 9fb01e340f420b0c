import Crypto
import Foundation

/// Random secrets for sessions, CSRF and API tokens, and the hash under which they are stored.
///
/// 256 random bits from the system's CSPRNG make guessing hopeless, so a plain SHA-256 is enough
/// at rest (a slow hash such as bcrypt is for low-entropy passwords).
public enum SecretToken {
    /// A new random token, base64url without padding: 43 characters, safe in cookies and headers.
    public static func generate(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a token: lowercase hex SHA-256.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares secrets without an early exit, so timing does not reveal a common prefix.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0
    }
}
