import Foundation
import Synchronization
import Testing

@testable import BackupMonitor

@Suite("Outlet scanner: an outlet's duration is its own time")
struct OutletScannerDurationTests {
    static let day = CalendarDay("2026-11-27")!
    static let utc = TimeZone(identifier: "UTC")!

    static func plan(_ code: String) -> OutletScanPlan {
        OutletScanPlan(
            outlet: Outlet(code: code), mode: .ddrive, account: SMBAccount(user: "u", password: "p"),
            shares: ["D$"], folder: "BackupFull")
    }

    /// Outlets connect ahead of their session slot; the wait for the slot belongs to the scan's
    /// queue. A record's Duration (SPEC §5) must not grow with the outlets queued before it.
    @Test func theWaitForASessionSlotIsNotCounted() async throws {
        let fleet = FakeFleet()
        // Judged against the test's own fixed day, never the wall clock: the test passes on any date.
        fleet.setBackupTime(Self.day.start(in: Self.utc).addingTimeInterval(2 * 3600))
        let scanner = OutletScanner(
            source: fleet, evaluator: BackupEvaluator(timeZone: Self.utc),
            outletTimeout: .seconds(30))
        // Measured from outside: the test's own time around the scan, and the admission's own
        // wait inside it. The scanner's interval lies within the first and its slot wait covers
        // the second, so without the wait its duration is at most their difference, whatever
        // the load on the machine.
        let waited = WaitBox()
        let outerStart = ContinuousClock.now
        let queued = await scanner.scan(Self.plan("QUEUED"), day: Self.day, scanID: "s") {
            let start = ContinuousClock.now
            try await Task.sleep(for: .seconds(1))
            waited.add(start.duration(to: .now))
        }
        let outer = outerStart.duration(to: .now)
        #expect(queued.record.status == .success)
        #expect(waited.total >= .seconds(1))
        #expect(queued.record.duration <= outer - waited.total)
        #expect(queued.record.duration >= .zero)

        // A slot that is never granted still ends in a classified failure, not a hang.
        let refused = await scanner.scan(Self.plan("REFUSED"), day: Self.day, scanID: "s") {
            throw ListingError(.unreachable, "no slot")
        }
        #expect(refused.record.status == .failed)
        #expect(refused.record.failureKind == .unreachable)
        #expect(refused.record.duration >= .zero)
    }
}

private final class WaitBox: Sendable {
    private let waited = Mutex(Duration.zero)
    var total: Duration { waited.withLock { $0 } }
    func add(_ duration: Duration) { waited.withLock { $0 += duration } }
}
