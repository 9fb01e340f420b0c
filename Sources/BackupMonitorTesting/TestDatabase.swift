import BackupMonitor
import Foundation
import Logging

/// The two stores every storage test runs on (SPEC §10: the same tests on both).
public enum DatabaseFlavor: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// `scripts/test` starts a throwaway cluster and exports its URL here.
    public static var postgresURL: String? { ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] }
    public static var postgresRequired: Bool { ProcessInfo.processInfo.environment["REQUIRE_POSTGRES"] == "1" }

    /// Flavors to run: PostgreSQL only when a test cluster is configured; when the test command
    /// promised one (`REQUIRE_POSTGRES=1`) and it is missing, the test fails instead of hiding.
    public static var available: [DatabaseFlavor] {
        postgresURL != nil || postgresRequired ? [.sqlite, .postgres] : [.sqlite]
    }
}

/// A fresh, empty, migrated database for one test, dropped afterwards.
public struct TestDatabase {
    public static let logger = Logger(label: "test.database")

    public static func with<R: Sendable>(
        _ flavor: DatabaseFlavor,
        _ body: (MonitorDatabase) async throws -> R
    ) async throws -> R {
        switch flavor {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "bm-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let database = try await MonitorDatabase.open(
                .sqlite(path: directory.appendingPathComponent("monitor.sqlite").path), logger: logger)
            do {
                let result = try await body(database)
                await database.close()
                return result
            } catch {
                await database.close()
                throw error
            }
        case .postgres:
            guard let baseURL = DatabaseFlavor.postgresURL else {
                throw TestEnvironmentError(
                    "REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: run the suite with scripts/test")
            }
            let name = "bm_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
            let admin = try await MonitorDatabase.open(.postgres(url: baseURL), migrate: false, logger: logger)
            try await admin.withSQL { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            var components = URLComponents(string: baseURL)!
            components.path = "/\(name)"
            let database = try await MonitorDatabase.open(.postgres(url: components.string!), logger: logger)
            func drop() async {
                await database.close()
                try? await admin.withSQL { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name)").run() }
                await admin.close()
            }
            do {
                let result = try await body(database)
                await drop()
                return result
            } catch {
                await drop()
                throw error
            }
        }
    }
}

/// The test environment lacks something a test was promised (the fleet, PostgreSQL).
public struct TestEnvironmentError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
