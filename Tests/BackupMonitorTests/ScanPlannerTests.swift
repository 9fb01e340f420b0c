import Testing

@testable import BackupMonitor

@Suite("Scan planning (SPEC §3)")
struct ScanPlannerTests {
    let configuration = try! MonitorConfiguration(values: [
        "USER": "CORP\\bk", "PASS": "p", "SMB_USER": "ib", "SMB_PASS": "q",
    ])

    @Test func ibStorageTriesTheLastKnownDriveFirstThenTheOthersInOrder() throws {
        let outlets = [
            Outlet(code: "A", lastIBStorageDrive: "G$"), Outlet(code: "B"), Outlet(code: "C", lastIBStorageDrive: "z$"),
        ]
        let plans = try ScanPlanner(configuration: configuration).plans(for: outlets, mode: .ibstorage)
        #expect(plans[0].shares == ["g$", "e$", "f$", "h$", "i$"])
        #expect(plans[1].shares == ["e$", "f$", "g$", "h$", "i$"])
        #expect(plans[2].shares == ["e$", "f$", "g$", "h$", "i$"], "a drive no longer configured is not tried")
        #expect(plans[0].account == SMBAccount(user: "ib", password: "q"))
        #expect(plans[0].folder == "BackupFull")
    }

    @Test func dDriveUsesTheShareAndFolderOrTheOutletsOverrides() throws {
        let outlets = [Outlet(code: "A"), Outlet(code: "B", shareOverride: "x$", folderOverride: "Backups")]
        let plans = try ScanPlanner(configuration: configuration).plans(for: outlets, mode: .ddrive)
        #expect(plans.map(\.shares) == [["d$"], ["x$"]])
        #expect(plans.map(\.folder) == ["BackupFull", "Backups"])
        #expect(plans[0].account == SMBAccount(user: "bk", password: "p", domain: "CORP"))
    }

    @Test func missingCredentialsNameTheVariable() throws {
        let bare = try MonitorConfiguration(values: [:])
        #expect {
            try ScanPlanner(configuration: bare).plans(for: [Outlet(code: "A")], mode: .ddrive)
        } throws: { ($0 as? ConfigurationError)?.variable == "USER" }
        #expect {
            try ScanPlanner(configuration: bare).plans(for: [Outlet(code: "A")], mode: .ibstorage)
        } throws: { ($0 as? ConfigurationError)?.variable == "SMB_USER" }
    }

    @Test func driveLettersComeFromShareNames() {
        #expect(ScanPlanner.driveLetter(ofShare: "f$") == "F")
        #expect(ScanPlanner.driveLetter(ofShare: "G:") == "G")
    }
}
