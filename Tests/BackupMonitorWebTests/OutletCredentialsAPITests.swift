import BackupMonitor
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// SPEC §2, §11 through the API: per-outlet credentials are accepted, used, and never returned.
@Suite("Per-outlet credentials through the API")
struct OutletCredentialsAPITests {
    static let password = "Api-Outlet-Secret-9"

    @Test func aPasswordIsWriteOnlyAndAHalfOverrideNamesTheField() async throws {
        try await TestApp.with { app in
            try await app.test { client in
                var headers = app.headers(.admin)
                headers[.contentType] = "application/json"
                let created = try await client.execute(
                    uri: "/api/v1/outlets", method: .post, headers: headers,
                    body: ByteBuffer(
                        string: #"{"code":"OUT1","username":"OUT1\\backup","password":"\#(Self.password)"}"#))
                #expect(created.status == .created, "\(created.text)")
                #expect(!created.text.contains(Self.password))
                let credentials = created.json["credentials"] as? [String: [String: Any]]
                #expect(credentials?["ddrive"]?["password"] as? String == "set")
                #expect(credentials?["ddrive"]?["username"] as? String == "OUT1\\backup")
                #expect(credentials?["ibstorage"]?["password"] as? String == "not set")

                let listed = try await client.execute(uri: "/api/v1/outlets", method: .get, headers: headers)
                #expect(listed.status == .ok)
                #expect(!listed.text.contains(Self.password))
                #expect(listed.text.contains(#""password":"set""#))

                // A replace without the fields keeps the override.
                let replaced = try await client.execute(
                    uri: "/api/v1/outlets/OUT1", method: .put, headers: headers,
                    body: ByteBuffer(string: #"{"name":"Mall"}"#))
                #expect(replaced.status == .ok)
                #expect(
                    (replaced.json["credentials"] as? [String: [String: Any]])?["ddrive"]?["password"] as? String
                        == "set")

                let half = try await client.execute(
                    uri: "/api/v1/outlets", method: .post, headers: headers,
                    body: ByteBuffer(string: #"{"code":"OUT2","ibstorageUsername":"usb"}"#))
                #expect(half.status == .badRequest)
                #expect(half.json["parameter"] as? String == "ibstoragePassword")
                let missing = try await client.execute(uri: "/api/v1/outlets/OUT2", method: .get, headers: headers)
                #expect(missing.status == .notFound)

                // The scanner gets the opened password, no front-end ever does.
                let accounts = try await app.dependencies.credentials.accounts(mode: .ibstorage)
                #expect(accounts["OUT1"]?.password == Self.password)
            }
        }
    }
}
