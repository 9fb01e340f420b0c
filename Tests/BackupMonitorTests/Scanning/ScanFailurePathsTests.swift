import BackupMonitorTesting
import Foundation
import Logging
import Synchronization
import Testing

@testable import BackupMonitor

/// SPEC §4 and §6: every outlet yields a record, a failure is classified by what went wrong,
/// and one outlet's failure never stops the others. The whole engine runs (workers, session
/// slots, batched storage on SQLite) against fake shares.
@Suite("Scan failure paths (scan engine, fake shares, SQLite)")
struct ScanFailurePathsTests {
    static let day = CalendarDay("2026-11-27")!
    static let utc = TimeZone(identifier: "UTC")!
    static let dayStart = day.start(in: utc)

    static func file(hoursAfterDayStart hours: Double, size: UInt64 = 5_000_000) -> RemoteFile {
        RemoteFile(name: "outlet_full.bak", lastWriteTime: dayStart.addingTimeInterval(hours * 3600), size: size)
    }

    private struct UnclassifiedError: Error {}

    /// Runs one scan of `outlets` (codes are hosts) and returns its summary.
    private func scan(
        _ outlets: [Outlet], mode: ScanMode, on shares: FakeShares, outletTimeout: Duration = .seconds(60),
        in database: MonitorDatabase, publish: @escaping ScanEngine.Publish = { _ in }
    ) async throws -> ScanSummary {
        try await OutletRepository(database: database).save(outlets)
        let configuration = try MonitorConfiguration(values: [
            "USER": "u", "PASS": "p", "TZ": "UTC", "SHARE": "D$", "FOLDER": "BackupFull",
            "IB_STORAGE_DRIVES": "e$,f$,g$", "IB_STORAGE_FOLDER": "BackupIB",
        ])
        let plans = try ScanPlanner(configuration: configuration).plans(for: outlets, mode: mode)
        let engine = ScanEngine(
            source: shares, records: RecordRepository(database: database), scans: ScanRepository(database: database),
            evaluator: BackupEvaluator(timeZone: Self.utc), concurrency: 2, outletTimeout: outletTimeout,
            logger: Logger(label: "test.scan-failure-paths", factory: { _ in SwiftLogNoOpLogHandler() }))
        let started = ScanStarted(
            scanID: "scan-\(mode.rawValue)", mode: mode, day: Self.day, kind: .full, triggeredBy: "test",
            total: plans.count, startedAt: Self.dayStart.addingTimeInterval(10 * 3600))
        return await engine.run(plans, started: started, publish: publish)
    }

    @Test func eachFailureIsClassifiedAndNoneStopsTheOthers() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let shares = FakeShares()
            shares.host("OK", ["D$": .folder([Self.file(hoursAfterDayStart: 2)])])
            shares.failSessions(of: "UNREACHABLE", with: ListingError(.unreachable, "Connection refused."))
            shares.failSessions(of: "AUTH", with: ListingError(.auth, "Logon failure."))
            shares.host("NOSHARE", ["C$": .folder([Self.file(hoursAfterDayStart: 2)])])
            shares.host("NOFOLDER", ["D$": .noFolder])
            shares.host("DENIED", ["D$": .failing(ListingError(.accessDenied, "Access denied."))])
            shares.host("EMPTY", ["D$": .folder([])])
            shares.host("STALE", ["D$": .folder([Self.file(hoursAfterDayStart: -30)])])
            shares.host("SMALL", ["D$": .folder([Self.file(hoursAfterDayStart: 2, size: 1000)])])
            shares.failSessions(of: "ODD", with: UnclassifiedError())
            let expected: [String: FailureKind?] = [
                "OK": nil, "UNREACHABLE": .unreachable, "AUTH": .auth, "NOSHARE": .shareMissing,
                "NOFOLDER": .folderMissing, "DENIED": .accessDenied, "EMPTY": .noBackup, "STALE": .stale,
                "SMALL": .tooSmall, "ODD": .protocol,
            ]

            let summary = try await scan(
                expected.keys.sorted().map { Outlet(code: $0) }, mode: .ddrive, on: shares, in: database)
            #expect(summary.records.map(\.outletCode) == expected.keys.sorted())
            #expect(
                Dictionary(uniqueKeysWithValues: summary.records.map { ($0.outletCode, $0.failureKind) }) == expected)
            #expect(summary.succeeded == 1)
            #expect(summary.failed == expected.count - 1)
            #expect(summary.notStored.isEmpty)
            let odd = try #require(summary.records.first { $0.outletCode == "ODD" })
            #expect(odd.errorDetails?.hasPrefix("Unexpected error") == true)

            let stored = try await RecordRepository(database: database).records(
                matching: RecordFilter(mode: .ddrive, from: Self.day, to: Self.day), limit: 100)
            #expect(Set(stored.map(\.outletCode)) == Set(expected.keys))
            #expect(Set(stored.map(\.failureKind)) == Set(expected.values))
        }
    }

    /// A host that never answers is cut off by the outlet deadline (SPEC §6) and reported
    /// unreachable, while the outlets beside it finish.
    @Test func aSilentOutletEndsAtItsDeadlineAsUnreachable() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let shares = FakeShares()
            shares.hang("SILENT")
            shares.host("OK", ["D$": .folder([Self.file(hoursAfterDayStart: 2)])])
            let summary = try await scan(
                [Outlet(code: "OK"), Outlet(code: "SILENT")], mode: .ddrive, on: shares, outletTimeout: .seconds(2),
                in: database)
            let silent = try #require(summary.records.first { $0.outletCode == "SILENT" })
            #expect(silent.failureKind == .unreachable)
            #expect(silent.errorDetails == "No answer within the outlet deadline of 2 s.")
            #expect(summary.records.first { $0.outletCode == "OK" }?.status == .success)
        }
    }

    /// The drive where the folder was found is remembered for the next scan (tried first); a
    /// failed check keeps the drive remembered before.
    @Test func theDriveFoundIsRememberedAndAFailureKeepsTheOldOne() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let shares = FakeShares()
            shares.host("MOVED", ["f$": .folder([Self.file(hoursAfterDayStart: 2)])])
            shares.host("SAME", ["e$": .folder([Self.file(hoursAfterDayStart: 2)])])
            shares.host("GONE", ["e$": .noFolder])
            let outlets = [
                Outlet(code: "GONE", lastIBStorageDrive: "g$"), Outlet(code: "MOVED", lastIBStorageDrive: "g$"),
                Outlet(code: "SAME", lastIBStorageDrive: "e$"),
            ]
            let summary = try await scan(outlets, mode: .ibstorage, on: shares, in: database)
            #expect(summary.records.map(\.driveLetter) == [nil, "F", "E"])
            #expect(summary.records.map(\.failureKind) == [.driveNotFound, nil, nil])

            let repository = OutletRepository(database: database)
            #expect(try await repository.outlet(code: "MOVED")?.lastIBStorageDrive == "f$")
            #expect(try await repository.outlet(code: "SAME")?.lastIBStorageDrive == "e$")
            #expect(try await repository.outlet(code: "GONE")?.lastIBStorageDrive == "g$")
            let stored = try await RecordRepository(database: database).records(
                matching: RecordFilter(mode: .ibstorage, from: Self.day, to: Self.day), limit: 10)
            #expect(Set(stored.map { "\($0.outletCode)=\($0.driveLetter ?? "-")" }) == ["GONE=-", "MOVED=F", "SAME=E"])
        }
    }

    /// ScanEngine: a record is stored (in its batch's transaction) before its progress event is
    /// published, failed records as much as successful ones.
    @Test func everyRecordIsStoredBeforeItsProgressEvent() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let shares = FakeShares()
            let codes = (1...12).map { String(format: "OUT%02d", $0) }
            for (index, code) in codes.enumerated() {
                if index % 3 == 0 {
                    shares.failSessions(of: code, with: ListingError(.unreachable, "Connection refused."))
                } else {
                    shares.host(code, ["D$": .folder([Self.file(hoursAfterDayStart: 2)])])
                }
            }
            let records = RecordRepository(database: database)
            let published = Mutex<[String: Bool]>([:])
            let summary = try await scan(codes.map { Outlet(code: $0) }, mode: .ddrive, on: shares, in: database) {
                events in
                for case .outletFinished(let progress) in events {
                    let code = progress.record.outletCode
                    let stored = try? await records.records(
                        matching: RecordFilter(mode: .ddrive, outletCode: code, from: Self.day, to: Self.day),
                        limit: 1)
                    // Its own row (this scan's verdict), not an older one.
                    let row = stored?.first
                    let isStored =
                        row?.scanID == progress.record.scanID && row?.status == progress.record.status
                        && row?.failureKind == progress.record.failureKind
                    published.withLock { $0[code] = isStored }
                }
            }
            #expect(summary.records.count == codes.count)
            let seen = published.withLock { $0 }
            #expect(seen.keys.sorted() == codes, "one progress event per outlet")
            #expect(
                seen.values.allSatisfy { $0 }, "stored before published: \(seen.filter { !$0.value }.keys.sorted())")
        }
    }
}
