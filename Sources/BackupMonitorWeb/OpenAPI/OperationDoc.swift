/// What the OpenAPI document says about one endpoint.
public struct OperationDoc: Sendable {
    public struct Parameter: Sendable {
        public enum Location: String, Sendable {
            case query
            case path
            case header
        }

        public var name: String
        public var location: Location
        public var required: Bool
        public var schema: JSONValue
        public var description: String

        public static func query(_ name: String, _ schema: JSONValue, _ description: String) -> Parameter {
            Parameter(name: name, location: .query, required: false, schema: schema, description: description)
        }

        public static func path(_ name: String, _ schema: JSONValue, _ description: String) -> Parameter {
            Parameter(name: name, location: .path, required: true, schema: schema, description: description)
        }

        public static func header(_ name: String, _ schema: JSONValue, _ description: String) -> Parameter {
            Parameter(name: name, location: .header, required: false, schema: schema, description: description)
        }
    }

    public enum Body: Sendable {
        case json(JSONValue)
        case csv
    }

    public enum Output: Sendable {
        case json(JSONValue)
        case eventStream
        case text
        case empty
    }

    public var operationID: String
    public var summary: String
    public var tag: String
    public var parameters: [Parameter]
    public var body: Body?
    public var success: (status: Int, output: Output)
    /// Error statuses besides the ones every protected endpoint has (401, 403).
    public var errors: [Int]

    public init(
        _ operationID: String, _ summary: String, tag: String, parameters: [Parameter] = [], body: Body? = nil,
        success: (Int, Output) = (200, .json(Schema.ref("Success"))), errors: [Int] = []
    ) {
        self.operationID = operationID
        self.summary = summary
        self.tag = tag
        self.parameters = parameters
        self.body = body
        self.success = (success.0, success.1)
        self.errors = errors
    }
}

/// JSON Schema fragments used by the documents.
public enum Schema {
    public static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    public static let string: JSONValue = ["type": "string"]
    public static let boolean: JSONValue = ["type": "boolean"]
    public static let date: JSONValue = ["type": "string", "format": "date", "example": "2026-02-21"]
    public static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    public static let outletCode: JSONValue = [
        "type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9._-]+$", "example": "OUTLET001",
    ]
    public static let uuid: JSONValue = ["type": "string", "format": "uuid"]
    public static let username: JSONValue = [
        "type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9._@-]+$",
    ]
    public static func integer(_ minimum: Int, _ maximum: Int? = nil, default value: Int? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "integer", "minimum": .integer(minimum)]
        if let maximum { schema["maximum"] = .integer(maximum) }
        if let value { schema["default"] = .integer(value) }
        return schema
    }
    public static func enumeration(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map(JSONValue.string))]
    }
    public static func array(_ items: JSONValue, maxItems: Int? = nil) -> JSONValue {
        var schema: JSONValue = ["type": "array", "items": items]
        if let maxItems { schema["maxItems"] = .integer(maxItems) }
        return schema
    }
    public static func object(_ properties: [String: JSONValue], required: [String] = [], closed: Bool = false)
        -> JSONValue
    {
        var schema: JSONValue = ["type": "object", "properties": .object(properties)]
        if !required.isEmpty { schema["required"] = .array(required.map(JSONValue.string)) }
        if closed { schema["additionalProperties"] = false }
        return schema
    }
    public static func nullable(_ schema: JSONValue) -> JSONValue {
        var copy = schema
        if case .string(let type)? = schema["type"] { copy["type"] = [.string(type), "null"] }
        return copy
    }
}
