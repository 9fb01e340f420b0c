import Foundation
import Hummingbird

/// Serves the OpenAPI document at `/api/v1/openapi.json` to signed-in callers.
enum OpenAPIEndpoint {
    static let path = "/api/v1/openapi.json"

    static func endpoint(documenting endpoints: [Endpoint]) -> Endpoint {
        let placeholder = Endpoint(
            .get, path, .role(.viewer),
            OperationDoc(
                "openapi", "This document.", tag: "Operations",
                success: (200, .json(["type": "object"]))),
            handler: { _, _ in Response(status: .ok) })
        let document = OpenAPIDocument.build(endpoints + [placeholder])
        let data = (try? JSONResponse.encoder.encode(document)) ?? Data("{}".utf8)
        var endpoint = placeholder
        endpoint.handler = { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return endpoint
    }
}
