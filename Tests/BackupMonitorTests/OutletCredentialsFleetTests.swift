import BackupMonitorTesting
import Crypto
import Foundation
import Logging
import Testing

@testable import BackupMonitor

/// SPEC §2: an outlet's own credentials are used for that outlet. The fleet's `wrongpass`
/// outlets know the monitor's users with other passwords (`Not-<password>`): with an override
/// holding that password the outlet scans; without one it fails `auth`, as the manifest says.
@Suite("Per-outlet credentials against the Samba fleet", .enabled(if: FleetManifest.isAvailable), .serialized)
struct OutletCredentialsFleetTests {
    @Test func anOutletWithItsOwnPasswordScansAndOneWithoutFailsAuth() async throws {
        let manifest = try FleetManifest.load()
        let wrongpass = manifest.outlets.filter { $0.scenario?["network"] == "wrongpass" }
        try #require(wrongpass.count >= 2)
        let (own, other) = (wrongpass[0], wrongpass[1])
        try await TestDatabase.with(.sqlite) { database in
            var environment = manifest.environment(database: database.location, logDirectory: "/tmp/bm-test-logs")
            environment["SECRET_KEY"] = String(repeating: "5a", count: 32)
            let configuration = try MonitorConfiguration(values: environment)
            try await OutletRepository(database: database).save(manifest.domainOutlets)
            let credentials = OutletCredentials(database: database, key: configuration.secretKey)
            let account = manifest.credentials["ddrive"]!
            try await credentials.apply(
                [.init(mode: .ddrive, login: account.user, password: "Not-\(account.password)")], code: own.code)
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database, logFile: nil,
                logger: Logger(label: "test.credentials", factory: { _ in SwiftLogNoOpLogHandler() }))
            let day = CalendarDay(manifest.today)!
            let summary = try await coordinator.run(
                ScanRequest(mode: .ddrive, day: day, outletCodes: [own.code, other.code], triggeredBy: "test"))
            let byCode = Dictionary(uniqueKeysWithValues: summary.records.map { ($0.outletCode, $0) })
            #expect(other.expected(.ddrive, day)?.errorKind == "auth")
            #expect(byCode[other.code]?.failureKind == .auth)
            let scanned = try #require(byCode[own.code])
            #expect(scanned.status == .success, "\(scanned.errorDetails ?? "")")
            #expect(scanned.fileName != nil)
        }
    }
}
