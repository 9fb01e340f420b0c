import Foundation
import Testing

@testable import BackupMonitor

/// SPEC §3: the IBSTORAGE USB drive may be any of `IB_STORAGE_DRIVES`; the drive found last
/// time is tried alone first (usually the answer), then the others in one round trip, and the
/// first share holding the folder is the drive. Planned by ``ScanPlanner``, checked by
/// ``OutletScanner``, against shares that say where the folder is.
@Suite("IBSTORAGE drive detection (planner + outlet scanner, fake shares)")
struct IBStorageDriveDetectionTests {
    static let day = CalendarDay("2026-11-27")!
    static let utc = TimeZone(identifier: "UTC")!
    static let backup = RemoteFile(
        name: "outlet_full.bak", lastWriteTime: day.start(in: utc).addingTimeInterval(2 * 3600), size: 5_000_000)

    private func plan(lastDrive: String? = nil, drives: String = "e$,f$,g$,h$") throws -> OutletScanPlan {
        let configuration = try MonitorConfiguration(values: [
            "USER": "u", "PASS": "p", "TZ": "UTC", "IB_STORAGE_DRIVES": drives, "IB_STORAGE_FOLDER": "BackupIB",
        ])
        let outlet = Outlet(code: "OUT1", lastIBStorageDrive: lastDrive)
        return try #require(try ScanPlanner(configuration: configuration).plans(for: [outlet], mode: .ibstorage).first)
    }

    private func scan(_ plan: OutletScanPlan, on shares: FakeShares) async -> OutletScanner.Result {
        let scanner = OutletScanner(
            source: shares, evaluator: BackupEvaluator(timeZone: Self.utc), outletTimeout: .seconds(60))
        return await scanner.scan(plan, day: Self.day, scanID: "scan-ib")
    }

    @Test func theDriveFoundLastTimeIsPlannedFirstThenTheOthersInOrder() throws {
        #expect(try plan(lastDrive: "g$").shares == ["g$", "e$", "f$", "h$"])
        #expect(try plan(lastDrive: "G$").shares == ["g$", "e$", "f$", "h$"], "drive names ignore case")
        #expect(try plan(lastDrive: nil).shares == ["e$", "f$", "g$", "h$"])
        #expect(try plan(lastDrive: "z$").shares == ["e$", "f$", "g$", "h$"], "a drive no longer configured")
    }

    @Test func theFolderStillOnLastTimesDriveTakesOneListingOfThatDriveAlone() async throws {
        let shares = FakeShares()
        shares.host("OUT1", ["e$": .noFolder, "g$": .folder([Self.backup]), "h$": .folder([Self.backup])])
        let result = await scan(try plan(lastDrive: "g$"), on: shares)
        #expect(shares.batches("OUT1") == [["g$"]])
        #expect(result.foundShare == "g$")
        #expect(result.record.driveLetter == "G")
        #expect(result.record.status == .success)
        #expect(result.record.fileName == "outlet_full.bak")
    }

    @Test func aFolderThatMovedIsLookedForOnTheOtherDrivesInOneRoundTrip() async throws {
        let shares = FakeShares()
        // g$ held it last time; now f$ and h$ both have the folder: the first in order wins.
        shares.host(
            "OUT1", ["e$": .noFolder, "f$": .folder([Self.backup]), "g$": .noFolder, "h$": .folder([Self.backup])])
        let result = await scan(try plan(lastDrive: "g$"), on: shares)
        #expect(shares.batches("OUT1") == [["g$"], ["e$", "f$", "h$"]])
        #expect(result.foundShare == "f$")
        #expect(result.record.driveLetter == "F")
        #expect(result.record.status == .success)
    }

    @Test func withoutADriveFromLastTimeEveryDriveIsAskedAtOnce() async throws {
        let shares = FakeShares()
        shares.host("OUT1", ["e$": .noFolder, "g$": .folder([Self.backup])])
        let result = await scan(try plan(lastDrive: nil), on: shares)
        #expect(shares.batches("OUT1") == [["e$", "f$", "g$", "h$"]])
        #expect(result.foundShare == "g$")
        #expect(result.record.driveLetter == "G")
    }

    @Test func aFolderWithoutABackupIsStillTheDrive() async throws {
        let shares = FakeShares()
        shares.host("OUT1", ["e$": .folder([]), "f$": .folder([Self.backup])])
        let result = await scan(try plan(), on: shares)
        #expect(result.foundShare == "e$", "the first share with the folder is the drive, even an empty one")
        #expect(result.record.status == .failed)
        #expect(result.record.failureKind == .noBackup)
        #expect(result.record.driveLetter == "E")
    }

    /// "No such share" and "no folder" are told apart, in the order tried.
    @Test func noDriveWithTheFolderListsWhatWasTried() async throws {
        let shares = FakeShares()
        shares.host("OUT1", ["e$": .noFolder, "g$": .noFolder])
        let result = await scan(try plan(lastDrive: "g$"), on: shares)
        #expect(result.record.status == .failed)
        #expect(result.record.failureKind == .driveNotFound)
        #expect(
            result.record.errorDetails
                == "IBSTORAGE drive not found; tried g$ (no BackupIB folder), e$ (no BackupIB folder), "
                + "f$ (no such share), h$ (no such share).")
        #expect(result.record.driveLetter == nil)
        #expect(result.foundShare == nil)
    }

    /// An unreadable folder is the drive: the check ends there with that drive's letter, and
    /// later drives are not taken for it.
    @Test func anAccessDeniedFolderIsTheDriveAndEndsTheSearch() async throws {
        let shares = FakeShares()
        shares.host(
            "OUT1",
            [
                "e$": .noFolder, "f$": .failing(ListingError(.accessDenied, "Access to BackupIB is denied.")),
                "g$": .folder([Self.backup]),
            ])
        let result = await scan(try plan(), on: shares)
        #expect(result.record.failureKind == .accessDenied)
        #expect(result.record.errorDetails == "Access to BackupIB is denied.")
        #expect(result.record.driveLetter == "F")
        #expect(result.foundShare == nil, "a failed check does not move the remembered drive")
    }

    /// A failure that is not about one drive (the connection dropped while listing) ends the
    /// check as that failure, not as "drive not found".
    @Test func aConnectionFailureWhileListingIsNotDriveNotFound() async throws {
        let shares = FakeShares()
        shares.host(
            "OUT1", ["e$": .noFolder, "f$": .failing(ListingError(.unreachable, "The connection was reset."))])
        let result = await scan(try plan(), on: shares)
        #expect(result.record.failureKind == .unreachable)
        #expect(result.record.errorDetails == "The connection was reset.")
        #expect(result.record.driveLetter == nil)
    }
}
