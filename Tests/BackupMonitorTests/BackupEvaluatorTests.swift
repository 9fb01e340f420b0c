import Foundation
import Testing

@testable import BackupMonitor

@Suite("Backup evaluation (SPEC §4)")
struct BackupEvaluatorTests {
    let utc = TimeZone(identifier: "UTC")!
    let jakarta = TimeZone(identifier: "Asia/Jakarta")!
    let berlin = TimeZone(identifier: "Europe/Berlin")!
    let day = CalendarDay("2026-11-27")!
    let mib: UInt64 = 1_048_576

    func at(_ text: String, _ zone: TimeZone) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text)!
    }

    func file(_ name: String, _ time: String, size: UInt64 = 2_000_000_000, zone: TimeZone? = nil) -> RemoteFile {
        RemoteFile(name: name, lastWriteTime: at(time, zone ?? utc), size: size)
    }

    @Test func todaysBackupIsSuccessful() {
        let listing = [
            file("OUT_20261126.bak", "2026-11-26 02:00:00"),
            file("OUT_20261127.bak", "2026-11-27 02:00:00"),
            file("notes.txt", "2026-11-27 09:00:00", size: 10),
        ]
        let verdict = BackupEvaluator(timeZone: utc).evaluate(listing, on: day)
        #expect(verdict.status == .success)
        #expect(verdict.failureKind == nil)
        #expect(verdict.file?.name == "OUT_20261127.bak")
        #expect(!verdict.isAdvanced)
    }

    @Test func newestOfSeveralOnTheSameDayWins() {
        let listing = [
            file("a.bak", "2026-11-27 01:00:00"),
            file("c.zip", "2026-11-27 23:59:59"),
            file("b.7z", "2026-11-27 12:00:00"),
        ]
        #expect(BackupEvaluator(timeZone: utc).evaluate(listing, on: day).file?.name == "c.zip")
    }

    @Test func patternsAreCaseInsensitiveAndOthersIgnored() {
        let listing = [file("DB.BAK", "2026-11-27 02:00:00"), file("db.trn", "2026-11-27 05:00:00")]
        let verdict = BackupEvaluator(timeZone: utc).evaluate(listing, on: day)
        #expect(verdict.status == .success)
        #expect(verdict.file?.name == "DB.BAK")
        #expect(BackupPatterns.default.matches("x.Gz"))
        #expect(!BackupPatterns.default.matches("x.bak.txt"))
        #expect(BackupPatterns(["db_??.bak"])!.matches("DB_01.bak"))
        #expect(!BackupPatterns(["db_??.bak"])!.matches("db_001.bak"))
    }

    @Test func directoriesNeverCount() {
        let listing = [
            RemoteFile(name: "old.bak", lastWriteTime: at("2026-11-27 02:00:00", utc), size: 0, isDirectory: true)
        ]
        #expect(BackupEvaluator(timeZone: utc).evaluate(listing, on: day).failureKind == .noBackup)
    }

    @Test func emptyFolderOrNoMatchIsNoBackup() {
        let evaluator = BackupEvaluator(timeZone: utc)
        #expect(evaluator.evaluate([], on: day).failureKind == .noBackup)
        let verdict = evaluator.evaluate([file("readme.txt", "2026-11-27 02:00:00")], on: day)
        #expect(verdict.status == .failed)
        #expect(verdict.failureKind == .noBackup)
        #expect(verdict.file == nil)
    }

    @Test func olderBackupIsStaleAndSaysHowOld() {
        let listing = [file("a.bak", "2026-11-20 02:00:00"), file("b.bak", "2026-11-24 03:00:00")]
        let verdict = BackupEvaluator(timeZone: utc).evaluate(listing, on: day)
        #expect(verdict.failureKind == .stale)
        #expect(verdict.file?.name == "b.bak")
        #expect(verdict.details?.contains("3 days old") == true)
    }

    @Test func smallBackupOnTheDayIsTooSmall() {
        let listing = [file("a.bak", "2026-11-27 02:00:00", size: mib - 1), file("b.bak", "2026-11-26 02:00:00")]
        let verdict = BackupEvaluator(timeZone: utc).evaluate(listing, on: day)
        #expect(verdict.failureKind == .tooSmall)
        #expect(verdict.file?.name == "a.bak")
        let exact = BackupEvaluator(timeZone: utc).evaluate([file("a.bak", "2026-11-27 02:00:00", size: mib)], on: day)
        #expect(exact.status == .success)
    }

    @Test func aSmallNewerFileDoesNotHideAGoodOneOnTheSameDay() {
        let listing = [file("good.bak", "2026-11-27 01:00:00"), file("tiny.bak", "2026-11-27 04:00:00", size: 10)]
        let verdict = BackupEvaluator(timeZone: utc).evaluate(listing, on: day)
        #expect(verdict.status == .success)
        #expect(verdict.file?.name == "good.bak")
    }

    @Test func futureDatedNewestFileIsAdvancedButTheDayIsStillJudged() {
        let listing = [file("today.bak", "2026-11-27 02:00:00"), file("tomorrow.bak", "2026-11-28 02:00:00")]
        let verdict = BackupEvaluator(timeZone: utc).evaluate(listing, on: day)
        #expect(verdict.status == .success)
        #expect(verdict.file?.name == "today.bak")
        #expect(verdict.isAdvanced)
    }

    @Test func backDatedScanReadsTheSameListing() {
        let listing = (15...27).map { file("d\($0).bak", "2026-11-\($0) 02:00:00") }
        let verdict = BackupEvaluator(timeZone: utc).evaluate(listing, on: CalendarDay("2026-11-20")!)
        #expect(verdict.status == .success)
        #expect(verdict.file?.name == "d20.bak")
        #expect(verdict.isAdvanced)
        let before = BackupEvaluator(timeZone: utc).evaluate(listing, on: CalendarDay("2026-11-01")!)
        #expect(before.failureKind == .noBackup)
        #expect(before.isAdvanced)
    }

    @Test func midnightEdgesBelongToTheDayThatStarts() {
        let evaluator = BackupEvaluator(timeZone: utc)
        #expect(evaluator.evaluate([file("a.bak", "2026-11-27 00:00:00")], on: day).status == .success)
        #expect(evaluator.evaluate([file("a.bak", "2026-11-26 23:59:59")], on: day).failureKind == .stale)
        let next = evaluator.evaluate([file("a.bak", "2026-11-28 00:00:00")], on: day)
        #expect(next.failureKind == .noBackup)
        #expect(next.isAdvanced)
    }

    @Test func theDayIsTakenInTheMonitorsTimeZone() {
        // 2026-11-26 20:00 UTC is 2026-11-27 03:00 in Jakarta (UTC+7).
        let listing = [file("a.bak", "2026-11-26 20:00:00")]
        #expect(BackupEvaluator(timeZone: jakarta).evaluate(listing, on: day).status == .success)
        #expect(BackupEvaluator(timeZone: utc).evaluate(listing, on: day).failureKind == .stale)
    }

    @Test func daylightSavingDaysHaveTheirRealLength() {
        // Europe/Berlin: 2026-03-29 has 23 hours, 2026-10-25 has 25.
        let spring = CalendarDay("2026-03-29")!
        #expect(spring.end(in: berlin).timeIntervalSince(spring.start(in: berlin)) == 23 * 3600)
        let autumn = CalendarDay("2026-10-25")!
        #expect(autumn.end(in: berlin).timeIntervalSince(autumn.start(in: berlin)) == 25 * 3600)
        let evaluator = BackupEvaluator(timeZone: berlin)
        let lateAutumn = [file("a.bak", "2026-10-25 23:30:00", zone: berlin)]
        #expect(evaluator.evaluate(lateAutumn, on: autumn).status == .success)
        let earlySpring = [file("a.bak", "2026-03-29 00:30:00", zone: berlin)]
        #expect(evaluator.evaluate(earlySpring, on: spring).status == .success)
        #expect(evaluator.evaluate(earlySpring, on: spring.adding(days: -1)).isAdvanced)
    }

    @Test func byteCountsReadLikeTheOriginalSystem() {
        #expect(ByteCountText.format(512) == "512 bytes")
        #expect(ByteCountText.format(1_048_576) == "1.00 MB")
        #expect(ByteCountText.format(2_630_667_468) == "2.45 GB")
    }
}
