import BackupMonitorTesting
import Foundation
import SQLKit
import Testing

@testable import BackupMonitor

@Suite("Records: sorting, keyset paging and kept counts, on SQLite and PostgreSQL")
struct RecordQueryTests {
    static let day = CalendarDay("2026-11-27")!

    static func record(
        _ code: String, _ day: CalendarDay, _ status: BackupStatus, kind: FailureKind? = nil, size: UInt64? = nil,
        mode: ScanMode = .ddrive
    ) -> BackupRecord {
        BackupRecord(
            mode: mode, outletCode: code, scanDate: day, status: status,
            lastBackupAt: size.map { _ in Date(timeIntervalSince1970: 1_795_000_000) },
            fileName: size.map { "\($0).bak" },
            fileSize: size, duration: .milliseconds(Int64(code.count * 10)),
            failureKind: status == .failed ? (kind ?? .unreachable) : nil,
            errorDetails: status == .failed ? "failed" : nil, scannedAt: Date(timeIntervalSince1970: 1_795_000_100))
    }

    /// A small history: 3 outlets over 3 days, with failures of two kinds and missing sizes.
    static func fill(_ repository: RecordRepository) async throws {
        let days = [day.adding(days: -2), day.adding(days: -1), day]
        for (index, day) in days.enumerated() {
            try await repository.save(record("OUT1", day, .success, size: UInt64(100 + index)))
            try await repository.save(
                record("OUT2", day, index == 2 ? .failed : .success, kind: .stale, size: UInt64(300 - index)))
            try await repository.save(record("OUT3", day, index == 0 ? .success : .failed, size: nil))
        }
        try await repository.save(record("OUT1", day, .failed, kind: .auth, mode: .ibstorage))
    }

    /// A database of `flavor` holding the history of `fill`.
    static func withHistory<R: Sendable>(
        _ flavor: DatabaseFlavor, _ body: (MonitorDatabase, RecordRepository) async throws -> R
    ) async throws -> R {
        try await TestDatabase.with(flavor) { database in
            let repository = RecordRepository(database: database)
            try await fill(repository)
            return try await body(database, repository)
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func sortsByAnyColumnWithNullsLastAndTheKeyAfter(_ flavor: DatabaseFlavor) async throws {
        try await Self.withHistory(flavor) { _, repository in
            let all = RecordFilter(mode: .ddrive)
            let standard = try await repository.records(matching: all, limit: 100)
            #expect(
                standard.map { "\($0.scanDate.day) \($0.outletCode)" } == [
                    "27 OUT1", "27 OUT2", "27 OUT3", "26 OUT1", "26 OUT2", "26 OUT3", "25 OUT1", "25 OUT2", "25 OUT3",
                ])
            let bySize = try await repository.records(
                matching: all, sort: RecordSort(column: .size, descending: true), limit: 100)
            #expect(bySize.compactMap(\.fileSize) == [300, 299, 298, 102, 101, 100])
            #expect(bySize.suffix(3).allSatisfy { $0.fileSize == nil })
            // Records without a size keep the default order among themselves.
            #expect(bySize.suffix(3).map(\.scanDate.day) == [27, 26, 25])
            let bySizeAscending = try await repository.records(
                matching: all, sort: RecordSort(column: .size, descending: false), limit: 100)
            #expect(bySizeAscending.compactMap(\.fileSize) == [100, 101, 102, 298, 299, 300])
            #expect(bySizeAscending.last?.fileSize == nil)
            let byOutlet = try await repository.records(matching: all, sort: RecordSort("-outlet")!, limit: 4)
            #expect(
                byOutlet.map { "\($0.outletCode) \($0.scanDate.day)" } == ["OUT3 27", "OUT3 26", "OUT3 25", "OUT2 27"])
            let byReason = try await repository.records(matching: all, sort: RecordSort("reason")!, limit: 100)
            #expect(byReason.prefix(3).map(\.failureKind) == [.stale, .unreachable, .unreachable])
            #expect(byReason.dropFirst(3).allSatisfy { $0.failureKind == nil })
            let paged = try await repository.records(matching: all, sort: RecordSort("size")!, limit: 2, offset: 2)
            #expect(paged.compactMap(\.fileSize) == [102, 298])
            #expect(RecordSort("-last_backup")?.parameter == "-last_backup")
            #expect(RecordSort("colour") == nil)
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func keysetPagesWalkTheRangeOnceInDayAndOutletOrder(_ flavor: DatabaseFlavor) async throws {
        try await Self.withHistory(flavor) { _, repository in
            let filter = RecordFilter(mode: .ddrive, from: Self.day.adding(days: -1), to: Self.day)
            var cursor: RecordCursor?
            var seen: [String] = []
            var batches = 0
            while true {
                let batch = try await repository.records(matching: filter, after: cursor, limit: 2)
                guard let last = batch.last else { break }
                batches += 1
                seen += batch.map { "\($0.scanDate.day) \($0.outletCode)" }
                cursor = RecordCursor(after: last)
            }
            #expect(seen == ["26 OUT1", "26 OUT2", "26 OUT3", "27 OUT1", "27 OUT2", "27 OUT3"])
            #expect(batches == 3)
            let failedOnly = RecordFilter(mode: .ddrive, status: .failed)
            let first = try await repository.records(matching: failedOnly, after: nil, limit: 1)
            #expect(first.map(\.outletCode) == ["OUT3"])
            let rest = try await repository.records(
                matching: failedOnly, after: RecordCursor(after: try #require(first.first)), limit: 10)
            #expect(rest.map { "\($0.scanDate.day) \($0.outletCode)" } == ["27 OUT2", "27 OUT3"])
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func countsFollowInsertsReplacementsAndDeletes(_ flavor: DatabaseFlavor) async throws {
        try await Self.withHistory(flavor) { database, repository in
            let all = RecordFilter(mode: .ddrive)
            func expectCountsMatchTheRecords() async throws {
                let records = try await repository.records(matching: all, limit: 1000)
                #expect(try await repository.count(matching: all) == records.count)
                #expect(
                    try await repository.count(matching: RecordFilter(mode: .ddrive, status: .failed))
                        == records.filter { $0.status == .failed }.count)
                let daily = try await repository.dailyCounts(matching: all)
                let expected = Dictionary(grouping: records, by: \.scanDate).map { day, records in
                    DailyCount(
                        day: day, successful: records.filter { $0.status == .success }.count,
                        failed: records.filter { $0.status == .failed }.count)
                }
                #expect(daily == expected.sorted { $0.day < $1.day })
            }
            try await expectCountsMatchTheRecords()
            #expect(try await repository.count(matching: all) == 9)
            #expect(try await repository.count(matching: RecordFilter(mode: .ddrive, failureKind: .stale)) == 1)
            #expect(try await repository.count(matching: RecordFilter(mode: .ibstorage)) == 1)
            #expect(try await repository.count(matching: RecordFilter(mode: .ddrive, outletCode: "OUT3")) == 3)

            // A re-scan replaces the record: the counts move from failed to success.
            try await repository.save(Self.record("OUT3", Self.day, .success, size: 5))
            try await expectCountsMatchTheRecords()
            #expect(
                try await repository.failureCounts(matching: RecordFilter(mode: .ddrive, from: Self.day, to: Self.day))
                    == [FailureCount(kind: .stale, count: 1)])

            // Deleting records (as a hand clean-up would) takes them out of the counts too.
            try await database.withSQL { sql in
                try await sql.delete(from: "backup_records").where("scan_date", .equal, SQLBind(Self.day.description))
                    .run()
            }
            try await expectCountsMatchTheRecords()
            #expect(
                try await repository.dailyCounts(matching: all).map(\.day) == [
                    Self.day.adding(days: -2), Self.day.adding(days: -1),
                ])
            #expect(try await repository.failureCounts(matching: RecordFilter(mode: .ddrive, from: Self.day)) == [])
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func failureReasonsAndOutletsOfARange(_ flavor: DatabaseFlavor) async throws {
        try await Self.withHistory(flavor) { (_, repository) async throws in
            let all = RecordFilter(mode: .ddrive)
            #expect(
                try await repository.failureCounts(matching: all) == [
                    FailureCount(kind: .unreachable, count: 2), FailureCount(kind: .stale, count: 1),
                ])
            #expect(try await repository.failureCounts(matching: RecordFilter(mode: .ddrive, status: .success)) == [])
            #expect(
                try await repository.failureCounts(matching: RecordFilter(mode: .ddrive, outletCode: "OUT2"))
                    == [FailureCount(kind: .stale, count: 1)])
            #expect(try await repository.outletCount(matching: all) == 3)
            #expect(try await repository.outletCount(matching: RecordFilter(mode: .ibstorage)) == 1)
            #expect(try await repository.outletCount(matching: RecordFilter(mode: .ddrive, status: .failed)) == 2)
            let lastDay = RecordFilter(mode: .ddrive, from: Self.day, to: Self.day)
            #expect(try await repository.outletCount(matching: lastDay) == 3)
            let future = RecordFilter(mode: .ddrive, from: Self.day.adding(days: 1))
            #expect(try await repository.outletCount(matching: future) == 0)
            #expect(Set(try await repository.outletCodes(matching: lastDay)) == ["OUT1", "OUT2", "OUT3"])
        }
    }

    /// The kept spans answer exactly what a distinct count of the records would: every range
    /// against a history with a gap, after inserts, a re-scan and deletes of first, last and
    /// only records.
    @Test(arguments: DatabaseFlavor.available)
    func outletCountsFromKeptSpansMatchTheRecords(_ flavor: DatabaseFlavor) async throws {
        try await TestDatabase.with(flavor) { database in
            let repository = RecordRepository(database: database)
            // GAP has records on the first and the last of five days, none between.
            for offset in [-4, 0] {
                try await repository.save(Self.record("GAP", Self.day.adding(days: offset), .success))
            }
            for offset in -3...0 {
                try await repository.save(Self.record("DAILY", Self.day.adding(days: offset), .failed))
            }
            try await repository.save(Self.record("ONCE", Self.day.adding(days: -2), .success))
            try await repository.save(Self.record("OTHER", Self.day, .success, mode: .ibstorage))
            func expectCountsMatchTheRecords(_ step: String) async throws {
                let records = try await repository.records(matching: RecordFilter(mode: .ddrive), limit: 1000)
                let days = [nil] + (-5...1).map { Optional(Self.day.adding(days: $0)) }
                for from in days {
                    for to in days {
                        let filter = RecordFilter(mode: .ddrive, from: from, to: to)
                        let expected = Set(
                            records.filter { record in
                                from.map { record.scanDate >= $0 } ?? true && to.map { record.scanDate <= $0 } ?? true
                            }.map(\.outletCode)
                        ).count
                        let counted = try await repository.outletCount(matching: filter)
                        #expect(
                            counted == expected, "\(step): \(from?.description ?? "…") to \(to?.description ?? "…")")
                    }
                }
            }
            try await expectCountsMatchTheRecords("inserted")
            #expect(
                try await repository.outletCount(
                    matching: RecordFilter(
                        mode: .ddrive, from: Self.day.adding(days: -3), to: Self.day.adding(days: -1)))
                    == 2)
            try await repository.save(Self.record("GAP", Self.day, .failed))
            try await expectCountsMatchTheRecords("re-scanned")
            func delete(_ code: String, _ offset: Int) async throws {
                try await database.withSQL { sql in
                    try await sql.delete(from: "backup_records").where("outlet_code", .equal, SQLBind(code))
                        .where("scan_date", .equal, SQLBind(Self.day.adding(days: offset).description)).run()
                }
            }
            try await delete("DAILY", 0)
            try await delete("DAILY", -3)
            try await expectCountsMatchTheRecords("first and last deleted")
            try await delete("ONCE", -2)
            try await expectCountsMatchTheRecords("only record deleted")
            #expect(try await repository.outletCount(matching: RecordFilter(mode: .ibstorage)) == 1)
        }
    }

    @Test(arguments: DatabaseFlavor.available)
    func verdictsOfADayAreTheRecordsShortened(_ flavor: DatabaseFlavor) async throws {
        try await Self.withHistory(flavor) { _, repository in
            let records = try await repository.records(
                matching: RecordFilter(mode: .ddrive, from: Self.day, to: Self.day), limit: 100)
            let verdicts = try await repository.verdicts(mode: .ddrive, day: Self.day)
            #expect(verdicts.count == 3)
            #expect(
                verdicts.sorted { $0.outletCode < $1.outletCode }
                    == records.sorted { $0.outletCode < $1.outletCode }.map {
                        RecordVerdict(
                            outletCode: $0.outletCode, status: $0.status, failureKind: $0.failureKind,
                            errorDetails: $0.errorDetails, fileName: $0.fileName)
                    })
            #expect(verdicts.contains { $0.status == .failed && $0.failureKind == .stale && $0.fileName != nil })
            #expect(try await repository.verdicts(mode: .ibstorage, day: Self.day).map(\.failureKind) == [.auth])
            #expect(try await repository.verdicts(mode: .ddrive, day: Self.day.adding(days: 1)).isEmpty)
        }
    }
}
