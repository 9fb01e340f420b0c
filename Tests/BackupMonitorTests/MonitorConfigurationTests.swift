import Foundation
import Testing

@testable import BackupMonitor

@Suite("Configuration (SPEC §9)")
struct MonitorConfigurationTests {
    @Test func defaultsMatchTheOriginalSystem() throws {
        let configuration = try MonitorConfiguration(values: ["USER": "CORP\\backup", "PASS": "pw"])
        #expect(configuration.share == "d$")
        #expect(configuration.folder == "BackupFull")
        #expect(configuration.ibStorageDrives == ["e$", "f$", "g$", "h$", "i$"])
        #expect(configuration.ibStorageFolder == "BackupFull")
        #expect(configuration.ddriveAccount == SMBAccount(user: "backup", password: "pw", domain: "CORP"))
        // SMB_USER / SMB_PASS fall back to USER / PASS.
        #expect(configuration.ibStorageAccount == configuration.ddriveAccount)
        #expect(configuration.patterns == .default)
        #expect(configuration.minimumBackupBytes == 1_048_576)
        #expect(configuration.database == .sqlite(path: "data/backup-monitor.sqlite"))
        #expect(configuration.scanConcurrency == 256)
        #expect(configuration.connectTimeout == .seconds(5))
    }

    @Test(arguments: [
        ("TZ", "Mars/Olympus"), ("MIN_BACKUP_BYTES", "-1"), ("MIN_BACKUP_BYTES", "1MB"), ("SCAN_CONCURRENCY", "0"),
        ("LISTEN_PORT", "70000"), ("SMB_CONNECT_TIMEOUT", "soon"), ("DATABASE_URL", "mysql://db/x"),
        ("LOG_LEVEL", "loud"), ("IB_STORAGE_DRIVES", " , "), ("BACKUP_PATTERNS", ","),
    ])
    func invalidValuesNameTheirVariable(_ variable: String, _ value: String) {
        #expect {
            try MonitorConfiguration(values: [variable: value])
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }

    @Test func dotEnvFileIsReadAndTheEnvironmentWins() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bm-\(UUID().uuidString).env").path
        try "SHARE=x$\nFOLDER=Backups\n# a comment\nSMB_USER=ib@SHOP\nSMB_PASS=secret\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try await MonitorConfiguration.load(environment: ["SHARE": "d$"], dotEnvPath: path)
        #expect(configuration.share == "d$")
        #expect(configuration.folder == "Backups")
        #expect(configuration.ibStorageAccount == SMBAccount(user: "ib", password: "secret", domain: "SHOP"))
        #expect(configuration.ddriveAccount == nil)
        let shown = configuration.effectiveValues.first { $0.variable.name == "SMB_PASS" }
        #expect(shown?.value == "*****")
        #expect(!configuration.effectiveValues.contains { $0.value.contains("secret") })
    }

    @Test func aMissingDotEnvFileIsFine() async throws {
        let configuration = try await MonitorConfiguration.load(environment: [:], dotEnvPath: "/nonexistent/.env")
        #expect(configuration.share == "d$")
    }
}
