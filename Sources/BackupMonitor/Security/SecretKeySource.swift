import Crypto
import Foundation

/// Where the key that seals per-outlet passwords comes from (SPEC §11): `SECRET_KEY` itself,
/// or the file `SECRET_KEY_FILE`, created with mode 0600 at first start when missing. Never
/// the database: a copy of the database alone reveals no password.
public enum SecretKeySource: Sendable, Hashable {
    case value(Data)
    case file(String)

    /// 32 bytes as 64 hex digits or as base64 (44 characters).
    public static func parse(_ text: String) -> Data? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == 64, let bytes = hexBytes(trimmed) { return bytes }
        if let bytes = Data(base64Encoded: trimmed), bytes.count == 32 { return bytes }
        return nil
    }

    private static func hexBytes(_ text: String) -> Data? {
        var bytes = Data(capacity: text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// The box sealing with this key; creates the key file on first use. Errors name the variable.
    public func box() throws -> SecretBox {
        switch self {
        case .value(let bytes):
            return SecretBox(key: SymmetricKey(data: bytes))
        case .file(let path):
            return SecretBox(key: SymmetricKey(data: try Self.readOrCreate(path)))
        }
    }

    /// A new random key as the file holds it: 64 hex digits and a newline.
    public static func newKeyText() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined() + "\n"
    }

    private static func readOrCreate(_ path: String) throws -> Data {
        if !FileManager.default.fileExists(atPath: path) {
            try write(newKeyText(), to: path)
        }
        let attributes: [FileAttributeKey: Any]
        let text: String
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                variable: "SECRET_KEY_FILE", problem: "cannot read \(path): \(error.localizedDescription)")
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw ConfigurationError(
                variable: "SECRET_KEY_FILE",
                problem: "\(path) can be read by others (mode \(String(mode & 0o777, radix: 8))); run chmod 600 on it")
        }
        guard let bytes = parse(text) else {
            throw ConfigurationError(
                variable: "SECRET_KEY_FILE",
                problem: "\(path) does not hold a key (64 hex digits or base64 of 32 bytes)")
        }
        return bytes
    }

    /// Writes a key file with mode 0600 from the start (never readable by others, not even
    /// for a moment), next to its final name and then renamed over it.
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError(
                variable: "SECRET_KEY_FILE", problem: "cannot create \(directory): \(error.localizedDescription)")
        }
        let temporary = path + ".new"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw ConfigurationError(
                variable: "SECRET_KEY_FILE", problem: "cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == bytes.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ConfigurationError(variable: "SECRET_KEY_FILE", problem: "cannot write \(path)")
        }
    }
}
