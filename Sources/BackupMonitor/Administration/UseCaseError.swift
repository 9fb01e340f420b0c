/// Why a use case refused a request, as a value every front-end renders its own way: the API
/// as a JSON error with a status and the parameter (SPEC §7), the pages as a notice on the
/// form, the CLI as a line on stderr and an exit code. No HTTP or HTML is written here.
public struct UseCaseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The input breaks a rule (a field, a CSV line, a day in the future).
        case invalid
        /// What the request names does not exist.
        case notFound
        /// The request contradicts the current state (a duplicate, the last admin).
        case conflict
        /// The caller may not do this (a token above their own role).
        case forbidden
        /// The monitor cannot do it now (no credentials configured for a scan).
        case unavailable
    }

    public var kind: Kind
    /// One sentence, in lower case as the API words it, safe to show to the person who asked.
    public var message: String
    /// The parameter, body field or form field at fault, when there is one.
    public var field: String?
    /// Lists that explain the refusal: CSV `problems` (each naming its line), `unknown` codes.
    public var details: [String: [String]]

    public init(_ kind: Kind, _ message: String, field: String? = nil, details: [String: [String]] = [:]) {
        self.kind = kind
        self.message = message
        self.field = field
        self.details = details
    }

    public static func invalid(_ message: String, field: String? = nil) -> UseCaseError {
        UseCaseError(.invalid, message, field: field)
    }

    public static func invalid(_ problem: FieldProblem) -> UseCaseError {
        UseCaseError(.invalid, problem.description, field: problem.field)
    }

    public static func notFound(_ message: String, field: String? = nil) -> UseCaseError {
        UseCaseError(.notFound, message, field: field)
    }

    public static func conflict(_ message: String, field: String? = nil) -> UseCaseError {
        UseCaseError(.conflict, message, field: field)
    }

    /// The message followed by its detail lists, one item a line: what a terminal shows.
    public var description: String {
        let lines = details.keys.sorted().flatMap { details[$0] ?? [] }.map { "  \($0)" }
        return ([message] + lines).joined(separator: "\n")
    }
}

/// A problem with one field of an input: `port: 1 to 65535 expected`.
public struct FieldProblem: Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// The rule every free-text field follows (names, regions, hosts, token names): bounded length
/// and no control characters, which would corrupt logs, terminals and CSV exports.
public enum TextRule {
    public static func problem(
        _ value: String, field: String, maxLength: Int, allowEmpty: Bool = true
    ) -> FieldProblem? {
        if !allowEmpty, value.isEmpty { return FieldProblem(field, "must not be empty") }
        if value.count > maxLength { return FieldProblem(field, "at most \(maxLength) characters") }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return FieldProblem(field, "control characters are not allowed")
        }
        return nil
    }
}
