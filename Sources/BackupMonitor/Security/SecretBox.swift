import Crypto
import Foundation

/// Seals per-outlet SMB passwords for storage (SPEC §11) with AES-256-GCM under a key kept
/// outside the database (`SecretKeySource`).
///
/// A sealed value reads `v1.KEYID.BASE64`: `KEYID` names the key (the first 8 hex digits of
/// its SHA-256), so a wrong key is told apart from a damaged value, and the base64 holds nonce,
/// ciphertext and tag. The row it belongs to (outlet and mode) is authenticated with it: a
/// sealed password copied to another outlet's row does not open.
public struct SecretBox: Sendable {
    private let key: SymmetricKey
    /// The key's name in sealed values.
    public let keyID: String

    public init(key: SymmetricKey) {
        self.key = key
        keyID = SHA256.hash(data: key.withUnsafeBytes { Data($0) }).prefix(4).map { String(format: "%02x", $0) }
            .joined()
    }

    public func seal(_ secret: String, for context: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw SecretBoxError.damaged }
        return "v1.\(keyID).\(combined.base64EncodedString())"
    }

    public func open(_ sealed: String, for context: String) throws(SecretBoxError) -> String {
        let parts = sealed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let data = Data(base64Encoded: String(parts[2])) else {
            throw .damaged
        }
        guard parts[1] == keyID else { throw .otherKey(String(parts[1])) }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plain = try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
            return String(decoding: plain, as: UTF8.self)
        } catch {
            throw .damaged
        }
    }

    /// The key id a sealed value names, or nil when it is not a sealed value.
    public static func keyID(of sealed: String) -> String? {
        let parts = sealed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1" else { return nil }
        return String(parts[1])
    }
}

public enum SecretBoxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Sealed under another key than the one configured.
    case otherKey(String)
    /// Not a sealed value, or altered.
    case damaged

    public var description: String {
        switch self {
        case .otherKey(let id): "sealed under another key (id \(id))"
        case .damaged: "not a sealed value, or altered"
        }
    }
}
