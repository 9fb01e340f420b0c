import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as HTML forms post them.
struct FormBody: Sendable {
    private(set) var fields: [(name: String, value: String)]

    init(buffer: ByteBuffer) {
        let text = String(buffer: buffer)
        fields = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// Reads the body of a form post; the CSRF check may already have collected it.
    static func read(_ request: Request, _ context: MonitorRequestContext) async throws -> FormBody {
        var request = request
        return FormBody(buffer: try await request.collectBody(upTo: context.maxUploadSize))
    }

    static func isForm(_ request: Request) -> Bool {
        (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded")
    }

    /// The first value of `name`, trimmed; nil when absent or empty.
    func value(_ name: String) -> String? {
        guard let value = fields.first(where: { $0.name == name })?.value.trimmingCharacters(in: .whitespaces),
            !value.isEmpty
        else { return nil }
        return value
    }

    /// The untrimmed value of `name` (passwords, CSV text).
    func raw(_ name: String) -> String? {
        fields.first(where: { $0.name == name })?.value
    }

    func values(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value).filter { !$0.isEmpty }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
