import BackupMonitorTesting
import Testing

@testable import BackupMonitor

@Suite("Outlet administration: one rule for the API, the pages and the CLI")
struct OutletAdministrationTests {
    @Test(arguments: DatabaseFlavor.available)
    func aNewCodeIsCreatedAndAKnownOneIsAConflict(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let outlets = OutletAdministration(database: database)
            let created = try await outlets.create(OutletInput(code: "OUT1", name: "Mall"))
            #expect(created.host == "OUT1" && created.port == 445 && created.enabled)
            let again = try await refusal { _ = try await outlets.create(OutletInput(code: "OUT1")) }
            #expect(again?.shape == "conflict code")
            #expect(try await outlets.outlets.outlet(code: "OUT1")?.name == "Mall")
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func replacingKeepsTheDriveTheScannerLearnt(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let outlets = OutletAdministration(database: database)
            try await outlets.outlets.save([Outlet(code: "OUT1", lastIBStorageDrive: "g$")])
            let replaced = try await outlets.replace(code: "OUT1", with: OutletInput(host: "10.0.0.1", port: 1445))
            #expect(replaced.lastIBStorageDrive == "g$" && replaced.port == 1445)
            let mismatch = try await refusal {
                _ = try await outlets.replace(code: "OUT1", with: OutletInput(code: "OUT2"))
            }
            #expect(mismatch?.shape == "invalid code")
        }
    }

    @Test(
        arguments: [
            (OutletInput(code: "OUT 1"), "code"), (OutletInput(code: "OUT1", host: "a b"), "host"),
            (OutletInput(code: "OUT1", port: 0), "port"), (OutletInput(code: "OUT1", name: "Mall\u{1B}[31m"), "name"),
            (OutletInput(code: "OUT1", region: String(repeating: "r", count: 101)), "region"),
            (OutletInput(code: "OUT1", share: "d$\u{7}"), "share"),
            (OutletInput(code: "OUT1", folder: "a\nb"), "folder"),
            (OutletInput(code: "OUT1", host: "bad\u{0}host"), "host"),
        ])
    func everyFieldIsCheckedByTheOutletRule(_ input: OutletInput, field: String) async throws {
        try await TestDatabase.with(.sqlite) { database in
            let outlets = OutletAdministration(database: database)
            let refused = try await refusal { _ = try await outlets.create(input) }
            #expect(refused?.shape == "invalid \(field)")
            #expect(try await outlets.outlets.all().isEmpty)
        }
    }

    /// The CLI used to store what the web refused: the import is the same method for all three.
    @Test(arguments: DatabaseFlavor.available)
    func aCSVRowWithAControlCharacterIsNamedByLineAndNothingIsImported(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let outlets = OutletAdministration(database: database)
            let csv = "code,name,region\r\nOUT1,Good,North\r\nOUT2,Bad\u{1B}name,North\r\nOUT3,Fine,South\u{7}\r\n"
            let refused = try await refusal { _ = try await outlets.importCSV(csv) }
            #expect(refused?.shape == "invalid body")
            #expect(
                refused?.details["problems"] == [
                    "line 3: name: control characters are not allowed",
                    "line 4: region: control characters are not allowed",
                ])
            #expect(try await outlets.outlets.all().isEmpty)

            let empty = try await refusal { _ = try await outlets.importCSV(" \n") }
            #expect(empty?.details["problems"] == ["the CSV is empty"])

            let imported = try await outlets.importCSV("code,enabled\nOUT1,false\nOUT2,\n")
            #expect(imported.map(\.code) == ["OUT1", "OUT2"])
            #expect(try await outlets.outlets.all().map(\.enabled) == [false, true])
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func enablingAndDeletingNameAMissingOutlet(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let outlets = OutletAdministration(database: database)
            _ = try await outlets.create(OutletInput(code: "OUT1"))
            #expect(try await outlets.setEnabled(false, code: "OUT1").enabled == false)
            #expect(try await outlets.outlets.all(enabledOnly: true).isEmpty)
            try await outlets.delete(code: "OUT1")
            #expect(try await refusal { try await outlets.delete(code: "OUT1") }?.shape == "notFound code")
            #expect(try await refusal { _ = try await outlets.setEnabled(true, code: "OUT1") }?.kind == .notFound)
        }
    }
}
