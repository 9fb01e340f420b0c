import BackupMonitor
import Foundation
import Hummingbird

/// Outlets (SPEC §2): the original code list, and CRUD plus CSV import beside it.
struct OutletsController {
    let dependencies: AppDependencies

    var endpoints: [Endpoint] {
        let code = OperationDoc.Parameter.path("code", Schema.outletCode, "Outlet code.")
        return [
            Endpoint(
                .get, "/api/v1/outlets", .role(.viewer),
                OperationDoc(
                    "listOutlets", "All outlet codes (`data`, as the original API) and their details (`outlets`).",
                    tag: "Outlets",
                    success: (200, .json(Schema.ref("OutletCodes")))),
                handler: { _, _ in try await list() }),
            Endpoint(
                .get, "/api/v1/outlets/{code}", .role(.viewer),
                OperationDoc(
                    "getOutlet", "One outlet.", tag: "Outlets", parameters: [code],
                    success: (200, .json(Schema.ref("Outlet"))), errors: [404]),
                handler: { _, context in try await get(context) }),
            Endpoint(
                .post, "/api/v1/outlets", .role(.admin),
                OperationDoc(
                    "createOutlet", "Add an outlet.", tag: "Outlets", body: .json(Schema.ref("OutletInput")),
                    success: (201, .json(Schema.ref("Outlet"))), errors: [409, 415]),
                handler: { request, context in try await create(request, context) }),
            Endpoint(
                .put, "/api/v1/outlets/{code}", .role(.admin),
                OperationDoc(
                    "putOutlet", "Create or replace an outlet; fields left out take their defaults.", tag: "Outlets",
                    parameters: [code], body: .json(Schema.ref("OutletInput")),
                    success: (200, .json(Schema.ref("Outlet"))), errors: [415]),
                handler: { request, context in try await put(request, context) }),
            Endpoint(
                .delete, "/api/v1/outlets/{code}", .role(.admin),
                OperationDoc(
                    "deleteOutlet", "Remove an outlet (its records stay in history).", tag: "Outlets",
                    parameters: [code], errors: [404]),
                handler: { _, context in try await delete(context) }),
            Endpoint(
                .post, "/api/v1/outlets/import", .role(.admin),
                OperationDoc(
                    "importOutlets",
                    "Import outlets from CSV (header: code,host,port,name,region,enabled,share,folder). Every bad row "
                        + "is reported with its line number in `problems` and nothing is imported unless all rows are good.",
                    tag: "Outlets", body: .csv,
                    success: (200, .json(Schema.object(["status": Schema.string, "imported": ["type": "integer"]]))),
                    errors: [415]),
                handler: { request, context in try await importCSV(request, context) }),
        ]
    }

    struct OutletPayload: Encodable {
        var code: String
        var host: String
        var port: Int
        var name: String
        var region: String
        var enabled: Bool
        var share: String?
        var folder: String?
        var lastIBStorageDrive: String?
        /// Per mode: `{"username": …, "password": "set"}` or `{"password": "not set"}`; the
        /// password itself is never returned (SPEC §11).
        var credentials: [String: CredentialPayload] = [:]

        struct CredentialPayload: Encodable {
            var username: String?
            var password: String
        }

        init(_ outlet: Outlet, credentials: [OutletCredentials.Status]) {
            self.init(outlet)
            for mode in ScanMode.allCases {
                let status = credentials.first { $0.mode == mode }
                self.credentials[mode.rawValue] = CredentialPayload(
                    username: status?.login, password: status == nil ? "not set" : "set")
            }
        }

        init(_ outlet: Outlet) {
            code = outlet.code
            host = outlet.host
            port = outlet.port
            name = outlet.name
            region = outlet.region
            enabled = outlet.enabled
            share = outlet.shareOverride
            folder = outlet.folderOverride
            lastIBStorageDrive = outlet.lastIBStorageDrive
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: DynamicKey.self)
            try container.encode(code, forKey: DynamicKey("code"))
            try container.encode(host, forKey: DynamicKey("host"))
            try container.encode(port, forKey: DynamicKey("port"))
            try container.encode(name, forKey: DynamicKey("name"))
            try container.encode(region, forKey: DynamicKey("region"))
            try container.encode(enabled, forKey: DynamicKey("enabled"))
            try container.encode(share, forKey: DynamicKey("share"))
            try container.encode(folder, forKey: DynamicKey("folder"))
            try container.encode(lastIBStorageDrive, forKey: DynamicKey("lastIBStorageDrive"))
            if !credentials.isEmpty { try container.encode(credentials, forKey: DynamicKey("credentials")) }
        }
    }

    private struct OutletList: Encodable {
        var status = "success"
        var data: [String]
        var count: Int
        var outlets: [OutletPayload]
        /// The rest of the original envelope (SPEC §7); an outlet list has no advanced records.
        var advancedDate: [String] = []
        var advancedDateCount = 0
        var processingTime: Double
        var timestamp: String
    }

    private func list() async throws -> Response {
        let clock = LegacyEnvelopeClock()
        let outlets = try await dependencies.outlets.all()
        let credentials = try await dependencies.credentials.statuses()
        return JSONResponse.make(
            OutletList(
                data: outlets.map(\.code), count: outlets.count,
                outlets: outlets.map { OutletPayload($0, credentials: credentials[$0.code] ?? []) },
                processingTime: clock.processingTime,
                timestamp: JSONResponse.timestamp(Date(), dependencies.configuration.timeZone)))
    }

    private func get(_ context: MonitorRequestContext) async throws -> Response {
        let code = try PathReader.outletCode(context)
        guard let outlet = try await dependencies.outlets.outlet(code: code) else {
            throw APIError.notFound("no outlet \(code)")
        }
        return try await payload(outlet)
    }

    private func create(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        let input = try await JSONBody.decode(OutletInput.self, request, context)
        let outlet = try await dependencies.outletAdministration.create(input)
        return try await payload(outlet, status: .created)
    }

    private func put(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        let code = try PathReader.outletCode(context)
        let input = try await JSONBody.decode(OutletInput.self, request, context)
        let outlet = try await dependencies.outletAdministration.replace(code: code, with: input)
        return try await payload(outlet)
    }

    private func payload(_ outlet: Outlet, status: HTTPResponse.Status = .ok) async throws -> Response {
        let credentials = try await dependencies.credentials.status(of: outlet.code)
        return JSONResponse.make(OutletPayload(outlet, credentials: credentials), status: status)
    }

    private func delete(_ context: MonitorRequestContext) async throws -> Response {
        let code = try PathReader.outletCode(context)
        try await dependencies.outletAdministration.delete(code: code)
        return JSONResponse.make(["status": "success"])
    }

    private struct ImportResult: Encodable {
        var status = "success"
        var imported: Int
    }

    private func importCSV(_ request: Request, _ context: MonitorRequestContext) async throws -> Response {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("text/csv") || contentType.hasPrefix("text/plain") else {
            throw APIError(
                .unsupportedMediaType, "the body must be CSV (Content-Type: text/csv)", parameter: "Content-Type")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw APIError.badRequest("the CSV is not UTF-8 text", parameter: "body")
        }
        let imported = try await dependencies.outletAdministration.importCSV(text)
        return JSONResponse.make(ImportResult(imported: imported.count))
    }
}
