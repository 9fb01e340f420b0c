import BackupMonitorTesting
import Foundation
import Logging
import Synchronization
import Testing

@testable import BackupMonitor

/// SPEC §6: a scan never blames outlets for the monitor's own overload. Outlets that time out
/// are stored as failed at once, tried again after the first pass, and a success replaces the
/// failure; many recoveries make the scan "degraded". Whole engine, fake shares, SQLite.
@Suite("Second pass for outlets that timed out")
struct SecondPassTests {
    static let day = CalendarDay("2026-11-27")!
    static let utc = TimeZone(identifier: "UTC")!
    static let backup = RemoteFile(
        name: "outlet_full.bak", lastWriteTime: day.start(in: utc).addingTimeInterval(7200), size: 5_000_000)

    struct Scan {
        var summary: ScanSummary
        var events: [ScanEvent]
        var stored: [String: BackupRecord]
        var run: ScanRun?
    }

    func scan(_ codes: [String], on shares: FakeShares, in database: MonitorDatabase, id: String = "second-pass")
        async throws -> Scan
    {
        let outlets = codes.map { Outlet(code: $0, host: $0) }
        try await OutletRepository(database: database).save(outlets)
        let configuration = try MonitorConfiguration(values: [
            "USER": "u", "PASS": "p", "TZ": "UTC", "SHARE": "D$", "FOLDER": "BackupFull",
        ])
        let plans = try ScanPlanner(configuration: configuration).plans(for: outlets, mode: .ddrive)
        let records = RecordRepository(database: database)
        let scans = ScanRepository(database: database)
        let engine = ScanEngine(
            source: shares, records: records, scans: scans, evaluator: BackupEvaluator(timeZone: Self.utc),
            concurrency: 2, outletTimeout: .seconds(60),
            logger: Logger(label: "test.second-pass", factory: { _ in SwiftLogNoOpLogHandler() }))
        let started = ScanStarted(
            scanID: id, mode: .ddrive, day: Self.day, kind: .full, triggeredBy: "test", total: plans.count,
            startedAt: Date())
        let events = Mutex<[ScanEvent]>([])
        let summary = await engine.run(plans, started: started) { batch in events.withLock { $0 += batch } }
        let stored = try await records.records(
            matching: RecordFilter(mode: .ddrive, from: Self.day, to: Self.day), limit: 100)
        return Scan(
            summary: summary, events: events.withLock { $0 },
            stored: Dictionary(uniqueKeysWithValues: stored.map { ($0.outletCode, $0) }),
            run: try await scans.scan(id: id))
    }

    @Test func outletsThatTimedOutAreTriedAgainAndASuccessReplacesTheFailure() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let shares = FakeShares()
            let healthy = (1...5).map { "OK\($0)" }
            let flaky = (1...4).map { "FLAKY\($0)" }
            for code in healthy + flaky + ["DEAD"] { shares.host(code, ["D$": .folder([Self.backup])]) }
            for code in flaky { shares.timeOut(code, times: 1) }
            shares.timeOut("DEAD")
            shares.failSessions(of: "REFUSED", with: ListingError(.unreachable, "Connection refused."))
            let scan = try await scan(healthy + flaky + ["DEAD", "REFUSED"], on: shares, in: database)
            let summary = scan.summary

            #expect(summary.firstPass == PassCounts(succeeded: 5, failed: 6, timedOut: 5))
            #expect(summary.retried == 5)
            #expect(summary.recovered == 4)
            #expect(summary.succeeded == 9)
            #expect(summary.failed == 2)
            #expect(summary.records.count == 11)
            #expect(summary.timedOutOutlets == ["DEAD"])
            for code in healthy + flaky { #expect(scan.stored[code]?.status == .success, "\(code)") }
            #expect(scan.stored["DEAD"]?.failureKind == .unreachable)
            #expect(scan.stored["DEAD"]?.errorDetails?.hasPrefix("Timed out") == true)
            #expect(scan.stored["REFUSED"]?.failureKind == .unreachable)

            // The stream: 11 first-pass results, the announcement, 5 second-pass results, the end.
            var retrying: ScanRetrying?
            var secondPass: [OutletProgress] = []
            for event in scan.events {
                if case .retrying(let announced) = event { retrying = announced }
                if case .outletFinished(let progress) = event, progress.pass == 2 { secondPass.append(progress) }
            }
            #expect(retrying?.count == 5)
            #expect(retrying?.sentence == "Retrying 5 outlets that timed out, 2 at a time.")
            #expect(secondPass.map(\.done) == [1, 2, 3, 4, 5])
            #expect(Set(secondPass.map(\.record.outletCode)) == Set(flaky + ["DEAD"]))
            #expect(secondPass.last?.succeeded == 9)
            #expect(summary.endSequence == 11 + 2 + 5)

            // Four of five time-outs answered on a second try: the monitor's side, not theirs.
            let degradation = try #require(summary.degradation)
            #expect(degradation.sentence.hasPrefix("Scan degraded: the monitor or its network was overloaded"))
            #expect(summary.secondTry == "4 of 5 outlets that timed out answered on a second try")
            #expect(degradation.sentence.contains(try #require(summary.secondTry)))
            #expect(scan.run?.secondTry == summary.secondTry)
            #expect(scan.run?.retried == 5)
            #expect(scan.run?.recovered == 4)
            #expect(scan.run?.degraded == degradation.sentence)
            #expect(scan.run?.endSequence == summary.endSequence)
        }
    }

    @Test func anOutletThatStaysDeadIsRetriedOnceAndTheScanIsNotDegraded() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let shares = FakeShares()
            for code in ["A", "B", "C"] { shares.host(code, ["D$": .folder([Self.backup])]) }
            shares.timeOut("C")
            let scan = try await scan(["A", "B", "C"], on: shares, in: database)
            #expect(scan.summary.retried == 1)
            #expect(scan.summary.recovered == 0)
            #expect(scan.summary.degradation == nil)
            #expect(scan.run?.degraded == nil)
            #expect(scan.stored["C"]?.status == .failed)
        }
    }

    /// A lost SYN or a burst of queueing can strike the same outlet twice: once the second pass
    /// has seen outlets recover, one that times out again gets a third try at the pass's end.
    @Test func anOutletThatTimesOutTwiceGetsAThirdTryOnceOthersHaveRecovered() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let shares = FakeShares()
            let codes = ["OK", "FLAKY", "TWICE", "DEAD"]
            for code in codes { shares.host(code, ["D$": .folder([Self.backup])]) }
            shares.timeOut("FLAKY", times: 1)
            shares.timeOut("TWICE", times: 2)
            shares.timeOut("DEAD")
            let scan = try await scan(codes, on: shares, in: database)
            #expect(scan.summary.retried == 3)
            #expect(scan.summary.recovered == 2)
            #expect(scan.stored["TWICE"]?.status == .success)
            #expect(scan.stored["DEAD"]?.status == .failed)
            #expect(shares.sessions("TWICE") == 3)
            #expect(shares.sessions("DEAD") == 3)
            // One result per outlet and pass: the retry that failed is not reported.
            let secondPass = scan.events.compactMap { event -> String? in
                if case .outletFinished(let progress) = event, progress.pass == 2 { return progress.record.outletCode }
                return nil
            }
            #expect(secondPass.sorted() == ["DEAD", "FLAKY", "TWICE"])
            #expect(scan.summary.endSequence == 4 + 2 + 3)
        }
    }

    /// Outlets that are switched off: nothing recovers, so nothing is tried a third time.
    @Test func outletsThatStayDeadAreNotTriedAThirdTime() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let shares = FakeShares()
            for code in ["A", "DEAD1", "DEAD2"] { shares.host(code, ["D$": .folder([Self.backup])]) }
            shares.timeOut("DEAD1")
            shares.timeOut("DEAD2")
            let scan = try await scan(["A", "DEAD1", "DEAD2"], on: shares, in: database)
            #expect(scan.summary.retried == 2)
            #expect(shares.sessions("DEAD1") == 2)
            #expect(shares.sessions("DEAD2") == 2)
        }
    }

    /// SPEC §5: a good record stays good against a later check that fails at connection level.
    @Test func aLaterTimeOutKeepsTheGoodRecordWithANoteAndIsNotTriedAgain() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let shares = FakeShares()
            for code in ["A", "B"] { shares.host(code, ["D$": .folder([Self.backup])]) }
            let morning = try await scan(["A", "B"], on: shares, in: database, id: "morning")
            #expect(morning.stored["A"]?.status == .success)
            shares.timeOut("A")
            shares.host("B", ["D$": .folder([])])
            let later = try await scan(["A", "B"], on: shares, in: database, id: "later")
            // A did not answer: its success stays, noted; B answered with no backup: replaced.
            let kept = try #require(later.stored["A"])
            #expect(kept.status == .success)
            #expect(kept.scanID == "morning")
            #expect(kept.fileName == Self.backup.name)
            let recheck = try #require(kept.failedRecheck)
            #expect(recheck.kind == .unreachable)
            #expect(kept.lastCheckText(timeZone: Self.utc)?.hasPrefix("last checked ") == true)
            #expect(later.stored["B"]?.failureKind == .noBackup)
            // The scan reports what is stored: a success, not a time-out to try again.
            #expect(later.summary.succeeded == 1)
            #expect(later.summary.retried == 0)
            #expect(later.summary.records.first { $0.outletCode == "A" } == kept)
            let progressOfA = later.events.compactMap { event -> OutletProgress? in
                if case .outletFinished(let progress) = event, progress.record.outletCode == "A" { return progress }
                return nil
            }
            #expect(progressOfA.map(\.record.status) == [.success])
            #expect(progressOfA.first?.notStored == nil)
        }
    }

    @Test func aScanWithoutTimeOutsHasNoSecondPass() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let shares = FakeShares()
            shares.host("A", ["D$": .folder([Self.backup])])
            shares.failSessions(of: "B", with: ListingError(.auth, "Logon failure."))
            let scan = try await scan(["A", "B"], on: shares, in: database)
            #expect(scan.summary.retried == 0)
            #expect(!scan.events.contains { if case .retrying = $0 { true } else { false } })
            #expect(scan.summary.endSequence == 3)
        }
    }
}
