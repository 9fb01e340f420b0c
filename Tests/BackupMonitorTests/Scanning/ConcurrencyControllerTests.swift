import Foundation
import Testing

@testable import BackupMonitor

/// The adaptive session limit (issue 14), driven by a manual clock: time is whatever the test
/// passes as `at`.
@Suite("Adaptive concurrency")
struct ConcurrencyControllerTests {
    static let quick = ConcurrencyController.Outcome.answered(.milliseconds(50))

    /// Feeds `count` quick answers, 1 ms apart from `start`; returns the time after the last.
    @discardableResult
    static func answer(
        _ controller: inout ConcurrencyController, _ count: Int, from start: Duration = .zero,
        _ outcome: ConcurrencyController.Outcome = quick
    ) -> Duration {
        var now = start
        for _ in 0..<count {
            now += .milliseconds(1)
            _ = controller.observe(outcome, at: now)
        }
        return now
    }

    @Test func startsAt32AndGrowsToTheCeilingWhileSessionsAnswerQuickly() {
        var controller = ConcurrencyController(.init(floor: 8, ceiling: 256))
        #expect(controller.limit == 32)
        // Slow start: one more per answer, so the limit doubles per round of answers.
        Self.answer(&controller, 32)
        #expect(controller.limit == 64)
        Self.answer(&controller, 1000)
        #expect(controller.limit == 256)
        #expect(controller.steps.first == .init(at: .zero, limit: 32))
        #expect(controller.steps.last?.limit == 256)
        #expect(controller.cuts == 0)
    }

    @Test func clusteredTimeOutsCutByHalfOncePerCooldownAndNeverBelowTheFloor() {
        var controller = ConcurrencyController(.init(floor: 8, ceiling: 256))
        var now = Self.answer(&controller, 1000)
        #expect(controller.limit == 256)
        // Two time-outs are not yet a cluster.
        for _ in 0..<2 {
            now += .milliseconds(10)
            _ = controller.observe(.timedOut, at: now)
        }
        #expect(controller.limit == 256)
        now += .milliseconds(10)
        #expect(controller.observe(.timedOut, at: now) == 128)
        // More within the cooldown do not cut again: they belong to the same congestion.
        for _ in 0..<10 {
            now += .milliseconds(10)
            _ = controller.observe(.timedOut, at: now)
        }
        #expect(controller.limit == 128)
        #expect(controller.cuts == 1)
        // A storm of time-outs over many seconds halves once per cooldown, down to the floor.
        for _ in 0..<200 {
            now += .milliseconds(300)
            _ = controller.observe(.timedOut, at: now)
        }
        #expect(controller.limit == 8)
        #expect(controller.steps.map(\.limit).min() == 8)
    }

    @Test func scatteredTimeOutsAreNotACluster() {
        var controller = ConcurrencyController(.init(floor: 8, ceiling: 64))
        var now = Self.answer(&controller, 200)
        for _ in 0..<20 {
            now += .seconds(2)
            _ = controller.observe(.timedOut, at: now)
            now = Self.answer(&controller, 10, from: now)
        }
        #expect(controller.cuts == 0)
        #expect(controller.limit == 64)
    }

    @Test func sessionsFarSlowerThanTheBaselineAreCongestionToo() {
        var controller = ConcurrencyController(.init(floor: 4, ceiling: 100))
        var now = Self.answer(&controller, 100)
        #expect(controller.baseline == .milliseconds(50))
        #expect(controller.limit == 100)
        // 4 × 50 ms + 250 ms = 450 ms is still normal; 2 s is not.
        now = Self.answer(&controller, 5, from: now, .answered(.milliseconds(400)))
        #expect(controller.cuts == 0)
        Self.answer(&controller, 3, from: now, .answered(.seconds(2)))
        #expect(controller.cuts == 1)
        #expect(controller.limit == 50)
    }

    @Test func afterACutItGrowsByAboutOnePerRound() {
        var controller = ConcurrencyController(.init(floor: 8, ceiling: 256))
        var now = Self.answer(&controller, 1000)
        for _ in 0..<3 {
            now += .milliseconds(1)
            _ = controller.observe(.timedOut, at: now)
        }
        #expect(controller.limit == 128)
        // Congestion avoidance: about one round of answers (each adds 1/limit) raises it by one.
        Self.answer(&controller, 130, from: now)
        #expect(controller.limit == 129)
    }

    @Test func aFloorAtTheCeilingFixesTheLimit() {
        var controller = ConcurrencyController(.init(floor: 300, ceiling: 16))
        #expect(controller.settings.floor == 16)
        #expect(controller.limit == 16)
        var now = Duration.zero
        for _ in 0..<50 {
            now += .milliseconds(1)
            _ = controller.observe(.timedOut, at: now)
        }
        #expect(controller.limit == 16)
        #expect(controller.steps.count == 1)
    }
}

@Suite("Session slots follow the adaptive limit")
struct AdaptiveSessionSlotsTests {
    @Test func aRaiseAdmitsWaitersAndACutWaitsForSessionsToEnd() async throws {
        let slots = SessionSlots(1)
        try await slots.acquire()
        let admitted = Counter()
        let waiters = (0..<3).map { _ in
            Task {
                try await slots.acquire()
                await admitted.add()
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(await admitted.value == 0)
        slots.setLimit(3)
        try await Task.sleep(for: .milliseconds(50))
        #expect(await admitted.value == 2)
        // Three sessions hold slots; a cut to one lets nobody in until two of them end.
        slots.setLimit(1)
        slots.release()
        try await Task.sleep(for: .milliseconds(50))
        #expect(await admitted.value == 2)
        slots.release()
        slots.release()
        try await Task.sleep(for: .milliseconds(50))
        #expect(await admitted.value == 3)
        for waiter in waiters { try await waiter.value }
    }
}

@Suite("Outlets in flight follow the adaptive limit")
struct InFlightGateTests {
    static func timedOut() -> OutletScanner.Result {
        let record = BackupRecord(
            mode: .ddrive, outletCode: "X", scanDate: CalendarDay("2026-12-01")!, status: .failed,
            duration: .seconds(5), scanID: "s", scannedAt: Date())
        return OutletScanner.Result(record: record, timedOut: true, sessionTime: .seconds(5))
    }

    @Test func connectsArePacedByTheSessionLimitWithinTheOpenFileCap() {
        let slots = SessionSlots(256)
        let gate = ConcurrencyGovernor.InFlight(slots: SessionSlots(1), perSession: 4, cap: 100)
        let governor = ConcurrencyGovernor(
            ConcurrencyController.Settings(floor: 8, ceiling: 256), slots: slots, inFlight: gate, begin: .now)
        // 32 sessions to start with, 4 in flight per session, but no more sockets than the cap.
        #expect(slots.limit == 32)
        #expect(gate.slots.limit == 100)
        for _ in 0..<3 { governor.observe(Self.timedOut()) }
        #expect(slots.limit == 16)
        #expect(gate.slots.limit == 64)
        // The cap never starves the sessions themselves.
        #expect(ConcurrencyGovernor.InFlight(slots: gate.slots, perSession: 4, cap: 10).limit(forSessions: 16) == 16)
    }
}

private actor Counter {
    var value = 0
    func add() { value += 1 }
}
