/// The OpenAPI 3.1 document of the whole API (SPEC §7), built from the registered endpoints so
/// that every route is described and nothing described is missing.
public enum OpenAPIDocument {
    public static func build(_ endpoints: [Endpoint]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for endpoint in endpoints {
            var item = paths[endpoint.path] ?? [:]
            item[endpoint.method.rawValue.lowercased()] = operation(endpoint)
            paths[endpoint.path] = item
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Outlet Backup Monitor API",
                "version": "1.0.0",
                "description": .string(
                    "Backup status of every outlet server (SPEC §7). The original system's endpoints keep their paths, "
                        + "parameters and field names; scans, outlets, users and tokens are the cleaner resources beside "
                        + "them. Every call needs a session cookie (browser; writes also need the session's CSRF token "
                        + "in X-CSRF-Token, or in X-XSRF-TOKEN as Axios sends it from the XSRF-TOKEN cookie) or an API "
                        + "token in `Authorization: Bearer`; roles are viewer < operator < admin (x-required-role)."),
            ],
            "servers": [["url": "/"]],
            "security": [["bearerAuth": []], ["sessionCookie": []]],
            "paths": .object(paths),
            "components": [
                "securitySchemes": [
                    "bearerAuth": [
                        "type": "http", "scheme": "bearer", "description": "An API token from POST /api/v1/tokens.",
                    ],
                    "sessionCookie": [
                        "type": "apiKey", "in": "cookie", "name": .string(AuthenticationMiddleware.sessionCookie),
                    ],
                ],
                "schemas": .object(APISchemas.all),
            ],
        ]
    }

    private static func operation(_ endpoint: Endpoint) -> JSONValue {
        let doc = endpoint.doc
        var operation: JSONValue = [
            "operationId": .string(doc.operationID),
            "summary": .string(doc.summary),
            "tags": [.string(doc.tag)],
        ]
        switch endpoint.access {
        case .anonymous:
            operation["security"] = .array([[:]])
            operation["x-required-role"] = "anonymous"
        case .role(let role):
            operation["x-required-role"] = .string(role.rawValue)
        }
        if !doc.parameters.isEmpty {
            operation["parameters"] = .array(
                doc.parameters.map { parameter in
                    [
                        "name": .string(parameter.name), "in": .string(parameter.location.rawValue),
                        "required": .bool(parameter.required), "schema": parameter.schema,
                        "description": .string(parameter.description),
                    ]
                })
        }
        switch doc.body {
        case .json(let schema)?:
            operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": schema]]]
        case .csv?:
            operation["requestBody"] = [
                "required": true,
                "content": ["text/csv": ["schema": ["type": "string"]]],
            ]
        case nil:
            break
        }
        var responses: [String: JSONValue] = [:]
        let error: JSONValue = [
            "description": "Error", "content": ["application/json": ["schema": Schema.ref("Error")]],
        ]
        switch doc.success.output {
        case .json(let schema):
            responses[String(doc.success.status)] = [
                "description": "Success", "content": ["application/json": ["schema": schema]],
            ]
        case .eventStream:
            responses[String(doc.success.status)] = [
                "description":
                    "Server-sent events: `started`, one `progress` per outlet (done/total), then `complete` carrying the summary object.",
                "content": ["text/event-stream": ["schema": ["type": "string"]]],
            ]
        case .text:
            responses[String(doc.success.status)] = [
                "description": "Success", "content": ["text/plain": ["schema": ["type": "string"]]],
            ]
        case .empty:
            responses[String(doc.success.status)] = ["description": "Done"]
        }
        var statuses = Set(doc.errors)
        if case .role = endpoint.access { statuses.formUnion([401, 403]) }
        if !doc.parameters.isEmpty || doc.body != nil { statuses.insert(400) }
        for status in statuses {
            // 204 is how a scan stream tells a reconnecting EventSource that its scan is over.
            responses[String(status)] =
                status == 204
                ? ["description": "No more events: the scan that Last-Event-ID names has ended."] : error
        }
        operation["responses"] = .object(responses)
        return operation
    }
}
