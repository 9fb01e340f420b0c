import Foundation
import Hummingbird

/// Decodes JSON request bodies strictly: wrong content type, bad JSON, a missing or mistyped
/// field each become a 400 naming the field; control characters in any text are refused
/// before they can reach the database.
enum JSONBody {
    /// `example` is a body of the right shape, quoted when the body has the wrong one (an array
    /// where an object belongs), so the caller sees what to send.
    static func decode<T: Decodable>(
        _ type: T.Type, _ request: Request, _ context: MonitorRequestContext, example: String? = nil
    ) async throws -> T {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            throw APIError(
                .unsupportedMediaType, "the body must be JSON (Content-Type: application/json)",
                parameter: "Content-Type")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer: buffer)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch DecodingError.typeMismatch(_, let decoding) where decoding.codingPath.isEmpty {
            throw APIError.badRequest(
                "the body must be a JSON object" + (example.map { " such as \($0)" } ?? ""), parameter: "body")
        } catch let error as DecodingError {
            throw Self.apiError(error)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("the body is not valid JSON", parameter: "body")
        }
    }

    private static func apiError(_ error: DecodingError) -> APIError {
        func name(_ path: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = path + (last.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = name(context.codingPath, key)
            return .badRequest("\(field) is required", parameter: field)
        case .typeMismatch(let type, let context):
            let field = name(context.codingPath)
            return .badRequest("\(field) must be \(Self.describe(type))", parameter: field)
        case .valueNotFound(let type, let context):
            let field = name(context.codingPath)
            return .badRequest("\(field) must be \(Self.describe(type)), not null", parameter: field)
        case .dataCorrupted(let context):
            let field = name(context.codingPath)
            if context.codingPath.isEmpty { return .badRequest("the body is not valid JSON", parameter: "body") }
            return .badRequest("\(field): \(context.debugDescription)", parameter: field)
        @unknown default:
            return .badRequest("the body could not be read", parameter: "body")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}
