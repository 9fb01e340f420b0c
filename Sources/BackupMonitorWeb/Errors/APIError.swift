import BackupMonitor
import Foundation
import Hummingbird

/// An error answer of the API: `{"status":"error","error":"…","parameter":"date_from"}` (SPEC §7),
/// naming the parameter, body field or header at fault when there is one.
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var parameter: String?
    /// Extra detail lists, such as `unknown` outlet codes or CSV `problems`.
    public var details: [String: [String]]
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, _ message: String, parameter: String? = nil, details: [String: [String]] = [:],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.message = message
        self.parameter = parameter
        self.details = details
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    /// A use case's refusal as the API words it: the one mapping of `UseCaseError` to HTTP.
    public init(_ refusal: UseCaseError) {
        self.init(Self.status(of: refusal.kind), refusal.message, parameter: refusal.field, details: refusal.details)
    }

    static func status(of kind: UseCaseError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .forbidden: .forbidden
        case .unavailable: .serviceUnavailable
        }
    }

    public static func badRequest(_ message: String, parameter: String? = nil) -> APIError {
        APIError(.badRequest, message, parameter: parameter)
    }

    public static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }

    public static var unauthenticated: APIError {
        APIError(
            .unauthorized, "sign in or send Authorization: Bearer <API token>",
            headers: [.wwwAuthenticate: "Bearer realm=\"backup-monitor\""])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(
            Body(status: "error", error: message, parameter: parameter, details: details), status: status)
        for field in headers { response.headers.append(field) }
        return response
    }

    private struct Body: Encodable {
        var status: String
        var error: String
        var parameter: String?
        var details: [String: [String]]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: DynamicKey.self)
            try container.encode(status, forKey: DynamicKey("status"))
            try container.encode(error, forKey: DynamicKey("error"))
            if let parameter { try container.encode(parameter, forKey: DynamicKey("parameter")) }
            for (key, values) in details { try container.encode(values, forKey: DynamicKey(key)) }
        }
    }
}

/// A coding key made from any string, for objects whose keys are data.
struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
