import Foundation
import Testing

@testable import BackupMonitor

/// SPEC §6 scheduled scans, with time under the test's control: slots, re-scans of failing
/// outlets until the cut-off, restarts, catch-up, overlap and daylight saving.
@Suite("Scan scheduler")
struct ScanSchedulerTests {
    static let day = CalendarDay("2026-11-27")!
    static let utc: [String: String] = [
        "TZ": "UTC", "SCHEDULE_DDRIVE": "07:30", "RETRY_INTERVAL_MINUTES": "30", "RETRY_UNTIL": "09:00",
    ]

    @Test func slotThenRescansOfTheFailingOutletsUntilTheCutOff() async throws {
        try await SchedulerHarness.with(Self.utc, start: instant("2026-11-27T06:00:00Z")) { h in
            h.fleet.setBackupTime(instant("2026-11-27T01:00:00Z"))
            h.fleet.fail("B")
            try await h.running {
                let next1 = try await h.clock.waitUntilIdle()
                #expect(next1 == [instant("2026-11-27T07:30:00Z")])
                #expect(h.fleet.listings("A") == 0, "nothing runs before its time")

                h.clock.advance(to: instant("2026-11-27T07:30:00Z"))
                let next2 = try await h.clock.waitUntilIdle()
                #expect(next2 == [instant("2026-11-27T08:00:00Z")])
                var runs = try await h.runs(Self.day)
                #expect(runs.map(\.slot) == ["07:30"])
                #expect(runs.first?.state == .finished)
                #expect(runs.first?.succeeded == 2)
                #expect(runs.first?.failed == 1)
                #expect(h.fleet.listings("A", "B", "C") == "1,1,1")

                h.clock.advance(to: instant("2026-11-27T08:00:00Z"))
                let next3 = try await h.clock.waitUntilIdle()
                #expect(next3 == [instant("2026-11-27T08:30:00Z")])
                #expect(h.fleet.listings("A", "B", "C") == "1,2,1")

                h.clock.advance(to: instant("2026-11-27T08:30:00Z"))
                // 09:00 is not before the 09:00 cut-off: the next thing is tomorrow's slot.
                let next4 = try await h.clock.waitUntilIdle()
                #expect(next4 == [instant("2026-11-28T07:30:00Z")])
                runs = try await h.runs(Self.day)
                #expect(runs.map(\.slot) == ["07:30", "retry-1", "retry-2"])
                #expect(runs.allSatisfy { $0.state == .finished })
                #expect(runs.last?.targets == 1)
                #expect(h.fleet.listings("B") == 3)
            }
            // One message for the slot (B newly failing); the re-scans changed nothing, so they stay quiet.
            let bodies = jsonObjects(await h.transport.bodyData())
            #expect(bodies.count == 1)
            let groups = bodies.first?["newlyFailing"] as? [[String: Any]]
            #expect(groups?.first?["reason"] as? String == "unreachable")
            #expect((groups?.first?["outlets"] as? [[String: Any]])?.first?["outlet"] as? String == "B")
            #expect(bodies.first?["trigger"] as? String == "07:30")
        }
    }

    @Test func aRecoveryDuringRescansIsAnnouncedAndEndsTheRescans() async throws {
        try await SchedulerHarness.with(Self.utc, start: instant("2026-11-27T07:29:00Z")) { h in
            h.fleet.setBackupTime(instant("2026-11-27T01:00:00Z"))
            h.fleet.fail("C", .auth)
            try await h.running {
                try await h.clock.waitUntilIdle()
                h.clock.advance(to: instant("2026-11-27T07:30:00Z"))
                let next5 = try await h.clock.waitUntilIdle()
                #expect(next5 == [instant("2026-11-27T08:00:00Z")])
                h.fleet.heal("C")
                h.clock.advance(to: instant("2026-11-27T08:00:00Z"))
                let next6 = try await h.clock.waitUntilIdle()
                #expect(next6 == [instant("2026-11-28T07:30:00Z")])
            }
            let bodies = jsonObjects(await h.transport.bodyData())
            #expect(bodies.count == 2)
            #expect(bodies.last?["recovered"] as? [String] == ["C"])
            #expect(bodies.last?["trigger"] as? String == "retry-1")
            #expect(bodies.last?["retry"] as? Bool == true)
        }
    }

    @Test func aRestartDoesNotRunASlotTwiceAndKeepsRescanning() async throws {
        try await SchedulerHarness.with(Self.utc, start: instant("2026-11-27T07:30:00Z")) { h in
            h.fleet.setBackupTime(instant("2026-11-27T01:00:00Z"))
            h.fleet.fail("A")
            try await h.running {
                let deadlines = try await h.clock.waitUntilIdle()
                #expect(deadlines == [instant("2026-11-27T08:00:00Z")])
            }
            #expect(h.fleet.listings("B") == 1)
            // A new process at 07:45: the 07:30 slot is stored as done; the re-scan is still due at 08:00.
            h.clock.advance(to: instant("2026-11-27T07:45:00Z"))
            try await h.running {
                let next7 = try await h.clock.waitUntilIdle()
                #expect(next7 == [instant("2026-11-27T08:00:00Z")])
                #expect(h.fleet.listings("B") == 1)
                h.clock.advance(to: instant("2026-11-27T08:00:00Z"))
                try await h.clock.waitUntilIdle()
            }
            #expect(try await h.runs(Self.day).map(\.slot) == ["07:30", "retry-1"])
            #expect(h.fleet.listings("A", "B") == "2,1")
        }
    }

    @Test func aSlotMissedWhileDownIsCaughtUpBeforeTheCutOffOnly() async throws {
        // Down at 07:30, up at 08:15 (before the 09:00 cut-off): the slot runs at once.
        try await SchedulerHarness.with(Self.utc, start: instant("2026-11-27T08:15:00Z")) { h in
            h.fleet.setBackupTime(instant("2026-11-27T01:00:00Z"))
            try await h.running {
                let deadlines = try await h.clock.waitUntilIdle()
                #expect(deadlines == [instant("2026-11-28T07:30:00Z")])
            }
            let runs = try await h.runs(Self.day)
            #expect(runs.map(\.slot) == ["07:30"])
            #expect(runs.first?.state == .finished)
            #expect(runs.first?.startedAt == instant("2026-11-27T08:15:00Z"))
        }
        // Up at 09:30, after the cut-off: recorded as missed, nothing scanned.
        try await SchedulerHarness.with(Self.utc, start: instant("2026-11-27T09:30:00Z")) { h in
            try await h.running {
                let deadlines = try await h.clock.waitUntilIdle()
                #expect(deadlines == [instant("2026-11-28T07:30:00Z")])
            }
            let runs = try await h.runs(Self.day)
            #expect(runs.map(\.state) == [.missed])
            #expect(h.fleet.listings("A") == 0)
            #expect(await h.transport.bodies.isEmpty)
        }
    }

    @Test func aSlotIsSkippedWhileAScanOfItsModeIsGoing() async throws {
        try await SchedulerHarness.with(Self.utc, start: instant("2026-11-27T07:00:00Z")) { h in
            h.fleet.setBackupTime(instant("2026-11-27T01:00:00Z"))
            h.fleet.hold()
            let manual = try await h.coordinator.start(
                ScanRequest(mode: .ddrive, day: Self.day, kind: .full, triggeredBy: "someone"))
            try await h.running {
                try await h.clock.waitUntilIdle()
                h.clock.advance(to: instant("2026-11-27T07:30:00Z"))
                // Nothing fails (the manual scan will cover everything), yet: re-scan check at 08:00.
                try await h.clock.waitUntilIdle()
                let runs = try await h.runs(Self.day)
                #expect(runs.map(\.slot) == ["07:30"])
                #expect(runs.first?.state == .skipped)
                #expect(runs.first?.detail?.contains(manual.scanID) == true)
            }
            h.fleet.release()
            for await _ in manual.events {}
            #expect(h.fleet.listings("A") == 1, "only the manual scan listed the outlet")
        }
    }

    @Test func daylightSavingSkippedHourRunsOnceAtTheJump() async throws {
        // Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST (01:00 UTC); 02:30 does not exist.
        let values = ["TZ": "Europe/Berlin", "SCHEDULE_DDRIVE": "02:30", "RETRY_INTERVAL_MINUTES": "0"]
        try await SchedulerHarness.with(values, start: instant("2026-03-28T23:00:00Z")) { h in
            h.fleet.setBackupTime(instant("2026-03-28T23:30:00Z"))
            try await h.running {
                let next8 = try await h.clock.waitUntilIdle()
                #expect(next8 == [instant("2026-03-29T01:00:00Z")])
                h.clock.advance(to: instant("2026-03-29T01:00:00Z"))
                // Next: 02:30 CEST on the 30th.
                let next9 = try await h.clock.waitUntilIdle()
                #expect(next9 == [instant("2026-03-30T00:30:00Z")])
            }
            #expect(try await h.runs(CalendarDay("2026-03-29")!).map(\.slot) == ["02:30"])
            #expect(h.fleet.listings("A") == 1)
        }
    }

    @Test func daylightSavingRepeatedHourRunsOnce() async throws {
        // Europe/Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens at 00:30 and 01:30 UTC.
        let values = ["TZ": "Europe/Berlin", "SCHEDULE_DDRIVE": "02:30", "RETRY_INTERVAL_MINUTES": "0"]
        try await SchedulerHarness.with(values, start: instant("2026-10-24T23:00:00Z")) { h in
            h.fleet.setBackupTime(instant("2026-10-24T23:30:00Z"))
            try await h.running {
                let next10 = try await h.clock.waitUntilIdle()
                #expect(next10 == [instant("2026-10-25T00:30:00Z")])
                h.clock.advance(to: instant("2026-10-25T00:30:00Z"))
                let next11 = try await h.clock.waitUntilIdle()
                #expect(next11 == [instant("2026-10-26T01:30:00Z")])
                // The second 02:30 passes without a second run.
                h.clock.advance(to: instant("2026-10-25T01:30:00Z"))
                let next12 = try await h.clock.waitUntilIdle()
                #expect(next12 == [instant("2026-10-26T01:30:00Z")])
            }
            #expect(try await h.runs(CalendarDay("2026-10-25")!).map(\.slot) == ["02:30"])
            #expect(h.fleet.listings("A") == 1)
        }
    }

    @Test func severalSlotsADayAndBothModesRunIndependently() async throws {
        let values = [
            "TZ": "UTC", "SCHEDULE_DDRIVE": "13:00, 07:30", "SCHEDULE_IBSTORAGE": "08:00",
            "RETRY_INTERVAL_MINUTES": "0",
        ]
        try await SchedulerHarness.with(values, start: instant("2026-11-27T07:00:00Z")) { h in
            h.fleet.setBackupTime(instant("2026-11-27T01:00:00Z"))
            try await h.running {
                let next13 = try await h.clock.waitUntilIdle(loops: 2)
                #expect(
                    next13 == [
                        instant("2026-11-27T07:30:00Z"), instant("2026-11-27T08:00:00Z"),
                    ])
                h.clock.advance(to: instant("2026-11-27T08:00:00Z"))
                let next14 = try await h.clock.waitUntilIdle(loops: 2)
                #expect(
                    next14 == [
                        instant("2026-11-27T13:00:00Z"), instant("2026-11-28T08:00:00Z"),
                    ])
                h.clock.advance(to: instant("2026-11-27T13:00:00Z"))
                try await h.clock.waitUntilIdle(loops: 2)
            }
            #expect(try await h.runs(Self.day).map(\.slot) == ["07:30", "13:00"])
            #expect(try await h.runs(Self.day, mode: .ibstorage).map(\.slot) == ["08:00"])
        }
    }
}
