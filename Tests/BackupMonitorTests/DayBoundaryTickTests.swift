import BackupMonitorTesting
import Foundation
import SMB2
import Testing

@testable import BackupMonitor

/// SMB times are 100-ns ticks; a file belongs to the day its exact time falls on, and its time
/// is cut, never rounded up (SPEC §4): the last tick of a day is that day's, in the evaluator, in
/// storage and in the API's text.
@Suite("The last tick of a day belongs to that day")
struct DayBoundaryTickTests {
    static let day = CalendarDay("2026-11-27")!

    /// The tick `offset` ticks from the start of the day after `day` in `zone` (-1: the last tick of `day`).
    static func tick(_ offset: Int64, after day: CalendarDay, in zone: TimeZone) -> SMB2FileTime {
        let next = Int64(day.adding(days: 1).start(in: zone).timeIntervalSince1970)
        return SMB2FileTime(raw: UInt64((next + 11_644_473_600) * 10_000_000 + offset))
    }

    @Test(arguments: ["UTC", "Asia/Jakarta", "America/New_York", "Australia/Lord_Howe"])
    func theLastTickIsTheDaysAndTheNextIsNot(_ zoneName: String) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let evaluator = BackupEvaluator(timeZone: zone)
        let last = RemoteFile(
            name: "a.bak", lastWriteTime: Self.tick(-1, after: Self.day, in: zone).date, size: 2 << 20)
        let first = RemoteFile(
            name: "b.bak", lastWriteTime: Self.tick(0, after: Self.day, in: zone).date, size: 2 << 20)
        #expect(evaluator.evaluate([last], on: Self.day).status == .success)
        #expect(evaluator.evaluate([last], on: Self.day.adding(days: 1)).failureKind == .stale)
        let next = evaluator.evaluate([first], on: Self.day)
        #expect(next.status == .failed && next.isAdvanced)
        #expect(evaluator.evaluate([first], on: Self.day.adding(days: 1)).status == .success)
        // Cut, never rounded: the text says 23:59:59 of the day.
        #expect(ISO8601Text.format(last.lastWriteTime, timeZone: zone).contains("2026-11-27T23:59:59"))
        // 23:59:59.9996 (not a whole tick away from the end): still the day, still 23:59:59.
        let late = Self.tick(-4000, after: Self.day, in: zone).date
        #expect(CalendarDay(containing: late, in: zone) == Self.day)
        #expect(ISO8601Text.format(late, timeZone: zone).contains("2026-11-27T23:59:59"))
    }

    /// Through storage: what is stored and read back keeps the day and the cut second.
    @Test(arguments: DatabaseFlavor.available)
    func storedAndReadBackTheLastTickStaysOnItsDay(_ flavor: DatabaseFlavor) async throws {
        let zone = try #require(TimeZone(identifier: "Asia/Jakarta"))
        try await TestDatabase.with(flavor) { database in
            let time = Self.tick(-1, after: Self.day, in: zone).date
            let verdict = BackupEvaluator(timeZone: zone).evaluate(
                [RemoteFile(name: "a.bak", lastWriteTime: time, size: 2 << 20)], on: Self.day)
            #expect(verdict.status == .success)
            let record = BackupRecord(
                mode: .ddrive, outletCode: "OUT1", scanDate: Self.day, status: verdict.status,
                lastBackupAt: verdict.file?.lastWriteTime, fileName: "a.bak", fileSize: 2 << 20, duration: .zero,
                scannedAt: Date())
            let records = RecordRepository(database: database)
            try await records.save([record])
            let read = try #require(try await records.records(matching: RecordFilter(mode: .ddrive), limit: 1).first)
            let stored = try #require(read.lastBackupAt)
            #expect(CalendarDay(containing: stored, in: zone) == Self.day)
            #expect(LegacyRecordPayload(read, timeZone: zone).lastBackupTaken == "2026-11-27T23:59:59+07:00")
        }
    }
}
