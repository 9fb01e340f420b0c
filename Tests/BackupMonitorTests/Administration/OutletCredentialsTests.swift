import BackupMonitorTesting
import Crypto
import Foundation
import SQLKit
import Testing

@testable import BackupMonitor

/// SPEC §2, §11: per-outlet, per-mode SMB credentials, write-only, sealed under a key kept
/// outside the database.
@Suite("Per-outlet credentials: sealed at rest, opened only to log on")
struct OutletCredentialsTests {
    static let password = "Outlet-Only-Secret-7"

    static func key() -> SecretKeySource { .value(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }) }

    @Test func aSealedPasswordOpensOnlyWithItsKeyAndItsRow() throws {
        let box = try Self.key().box()
        let sealed = try box.seal(Self.password, for: "outlet-credential/OUT1/ddrive")
        #expect(!sealed.contains(Self.password))
        #expect(SecretBox.keyID(of: sealed) == box.keyID)
        #expect(try box.open(sealed, for: "outlet-credential/OUT1/ddrive") == Self.password)
        #expect(throws: SecretBoxError.damaged) { try box.open(sealed, for: "outlet-credential/OUT2/ddrive") }
        let other = try Self.key().box()
        #expect(throws: SecretBoxError.otherKey(box.keyID)) { try other.open(sealed, for: "x") }
        var tampered = Array(sealed)
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
        #expect(throws: SecretBoxError.damaged) {
            try box.open(String(tampered), for: "outlet-credential/OUT1/ddrive")
        }
    }

    @Test func theKeyFileIsCreatedPrivateAndAReadableOneIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bm-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("secret.key").path
        let first = try SecretKeySource.file(path).box()
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try SecretKeySource.file(path).box().keyID == first.keyID)
        chmod(path, 0o644)
        let refused = #expect(throws: ConfigurationError.self) { try SecretKeySource.file(path).box() }
        #expect(refused?.variable == "SECRET_KEY_FILE")
        #expect(refused?.problem.contains("chmod 600") == true)
    }

    @Test func aBadSecretKeyNamesTheVariable() throws {
        let refused = #expect(throws: ConfigurationError.self) {
            try MonitorConfiguration(values: ["SECRET_KEY": "not-a-key"])
        }
        #expect(refused?.variable == "SECRET_KEY")
        let hex = String(repeating: "ab", count: 32)
        #expect(
            try MonitorConfiguration(values: ["SECRET_KEY": hex]).secretKey == .value(Data(repeating: 0xab, count: 32)))
    }

    @Test(arguments: DatabaseFlavor.available)
    func anOverrideIsWriteOnlyAndIsUsedToLogOn(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let credentials = OutletCredentials(database: database, key: Self.key(), defaultDomain: "CHAIN")
            let outlets = OutletAdministration(database: database, credentials: credentials)
            _ = try await outlets.create(
                OutletInput(code: "OUT1", username: "OUT1\\backup", password: Self.password))
            _ = try await outlets.create(OutletInput(code: "OUT2"))
            #expect(try await credentials.status(of: "OUT1") == [.init(mode: .ddrive, login: "OUT1\\backup")])
            #expect(try await credentials.status(of: "OUT2").isEmpty)

            // IBSTORAGE uses the D-Drive override until it has its own.
            let ddrive = try await credentials.accounts(mode: .ddrive)
            #expect(ddrive.keys.sorted() == ["OUT1"])
            #expect(
                ddrive["OUT1"] == SMBAccount(login: "OUT1\\backup", password: Self.password, defaultDomain: "CHAIN"))
            #expect(try await credentials.accounts(mode: .ibstorage) == ddrive)
            _ = try await outlets.replace(
                code: "OUT1", with: OutletInput(ibstorageUsername: "usb", ibstoragePassword: "Usb-Secret-1"))
            #expect(try await credentials.accounts(mode: .ibstorage)["OUT1"]?.user == "usb")
            // A replace that leaves the fields out keeps them; both empty remove one.
            #expect(try await credentials.status(of: "OUT1").count == 2)
            _ = try await outlets.replace(code: "OUT1", with: OutletInput(ibstorageUsername: "", ibstoragePassword: ""))
            #expect(try await credentials.status(of: "OUT1").map(\.mode) == [.ddrive])

            // The plan of OUT1 logs on with its own account, OUT2 with the configured one.
            let configuration = try MonitorConfiguration(values: ["USER": "bkadmin", "PASS": "p"])
            let plans = try ScanPlanner(configuration: configuration).plans(
                for: try await outlets.outlets.all(), mode: .ddrive, overrides: ddrive)
            #expect(plans.map(\.account.user) == ["backup", "bkadmin"])

            // Nowhere in plain text: not in the table, not in the SQLite file or its WAL.
            let stored = try await database.withSQL { sql in
                try await sql.raw("SELECT login, password_sealed FROM outlet_credentials").all().map {
                    try $0.decode(column: "password_sealed", as: String.self)
                }
            }
            #expect(stored.count == 1 && !stored.contains { $0.contains(Self.password) })
            switch database.location {
            case .sqlite(let path):
                for file in [path, path + "-wal"] {
                    let bytes = FileManager.default.contents(atPath: file) ?? Data()
                    #expect(bytes.range(of: Data(Self.password.utf8)) == nil, "\(file) holds the password")
                }
            case .postgres(let url):
                let dump = try Self.pgDump(url)
                #expect(dump.contains("outlet_credentials"), "pg_dump printed no credentials table")
                #expect(!dump.contains(Self.password), "the PostgreSQL dump holds the password")
            }
        }
    }

    /// The whole database as `pg_dump` writes it (the PostgreSQL the tests started has it).
    static func pgDump(_ url: String) throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = versions.sorted().last else {
            throw TestEnvironmentError("no pg_dump under /usr/lib/postgresql")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/lib/postgresql/\(version)/bin/pg_dump")
        process.arguments = ["--dbname", url]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: DatabaseFlavor.available)
    func aHalfGivenOverrideIsRefusedNamingTheFieldAndNothingIsSaved(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let credentials = OutletCredentials(database: database, key: Self.key())
            let outlets = OutletAdministration(database: database, credentials: credentials)
            let refused = try await refusal {
                _ = try await outlets.create(OutletInput(code: "OUT1", username: "backup"))
            }
            #expect(refused?.shape == "invalid password")
            #expect(try await outlets.outlets.outlet(code: "OUT1") == nil)
            let csv = """
                code,username,password,ibstorage_username,ibstorage_password
                OUT1,backup,\(Self.password),,
                OUT2,,,usb,
                """
            let refusedCSV = try await refusal { _ = try await outlets.importCSV(csv) }
            #expect(refusedCSV?.details["problems"] == ["line 3: a user override needs its password"])
            #expect(try await outlets.outlets.all().isEmpty)
            let imported = try await outlets.importCSV(
                csv.replacingOccurrences(of: "OUT2,,,usb,", with: "OUT2,,,usb,Usb-1"))
            #expect(imported.map(\.code) == ["OUT1", "OUT2"])
            #expect(try await credentials.status(of: "OUT2") == [.init(mode: .ibstorage, login: "usb")])
            #expect(try await credentials.accounts(mode: .ddrive)["OUT1"]?.password == Self.password)
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func rotationReSealsEveryPasswordAndTheOldKeyNoLongerOpensThem(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let oldKey = Self.key()
            let credentials = OutletCredentials(database: database, key: oldKey)
            let outlets = OutletAdministration(database: database, credentials: credentials)
            for code in ["OUT1", "OUT2"] {
                _ = try await outlets.create(OutletInput(code: code, username: "u", password: "\(code)-pw"))
            }
            try await credentials.verifyKey()
            let newKey = Self.key()
            #expect(try await credentials.rotate(to: try newKey.box()) == 2)
            let refused = await #expect(throws: ConfigurationError.self) { try await credentials.verifyKey() }
            #expect(refused?.variable == "SECRET_KEY")
            let rotated = OutletCredentials(database: database, key: newKey)
            try await rotated.verifyKey()
            #expect(try await rotated.accounts(mode: .ddrive)["OUT2"]?.password == "OUT2-pw")
        }
    }
}
