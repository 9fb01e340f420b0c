import BackupMonitorTesting
import Foundation
import Logging
import Testing

@testable import BackupMonitor

/// The scan engine against the real Samba fleet: every stored record equals the manifest's
/// expectation, for both modes, today and the past date, on SQLite and PostgreSQL.
@Suite("Scans against the Samba fleet", .enabled(if: FleetManifest.isAvailable), .serialized)
struct ScanAgainstFleetTests {
    static let logger = Logger(label: "test.scan")

    @Test(arguments: DatabaseFlavor.available)
    func storedRecordsMatchTheManifest(_ flavor: DatabaseFlavor) async throws {
        let manifest = try FleetManifest.load()
        try await TestDatabase.with(flavor) { database in
            let configuration = try manifest.configuration(database: database.location)
            try await OutletRepository(database: database).save(manifest.domainOutlets)
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database,
                logFile: nil,
                logger: Self.logger)
            let records = RecordRepository(database: database)
            for mode in ScanMode.allCases {
                for day in manifest.days {
                    let summary = try await coordinator.run(ScanRequest(mode: mode, day: day, triggeredBy: "test"))
                    #expect(summary.records.count == manifest.outlets.count)
                    let stored = try await records.records(
                        matching: RecordFilter(mode: mode, from: day, to: day), limit: 100_000)
                    let byCode = Dictionary(uniqueKeysWithValues: stored.map { ($0.outletCode, $0) })
                    var mismatches: [String] = []
                    for outlet in manifest.outlets {
                        guard let want = outlet.expected(mode, day) else { continue }
                        guard let record = byCode[outlet.code] else {
                            mismatches.append("\(outlet.code): no record")
                            continue
                        }
                        let got = FleetManifest.Expected(record, timeZone: configuration.timeZone)
                        if got != want {
                            mismatches.append("\(outlet.code): got \(got), want \(want); \(record.errorDetails ?? "")")
                        }
                    }
                    #expect(
                        mismatches.isEmpty,
                        "\(mode) \(day): \(mismatches.count) mismatches\n\(mismatches.prefix(15).joined(separator: "\n"))"
                    )
                    let advanced = manifest.outlets.filter { $0.expected(mode, day)?.advancedDate == true }.count
                    #expect(summary.advanced.count == advanced)
                }
            }
        }
    }

    @Test func twoConcurrentRequestsForOneModeRunOneScan() async throws {
        let manifest = try FleetManifest.load()
        try await TestDatabase.with(.sqlite) { database in
            let configuration = try manifest.configuration(database: database.location)
            try await OutletRepository(database: database).save(Array(manifest.domainOutlets.prefix(50)))
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database,
                logFile: nil,
                logger: Self.logger)
            let day = CalendarDay(manifest.today)!
            let first = try await coordinator.start(ScanRequest(mode: .ddrive, day: day, triggeredBy: "a"))
            let second = try await coordinator.start(ScanRequest(mode: .ddrive, day: day, triggeredBy: "b"))
            #expect(!first.joined)
            #expect(second.joined)
            #expect(first.scanID == second.scanID)
            async let firstEvents = Self.collect(first.events)
            async let secondEvents = Self.collect(second.events)
            let (a, b) = await (firstEvents, secondEvents)
            // Both callers saw the same whole scan: its start, 50 outlets in the first pass (those
            // that timed out once more in a second), and one summary.
            #expect(a.started == 1 && b.started == 1)
            #expect(a.outlets == 50 && b.outlets == 50)
            #expect(a.retried == b.retried)
            #expect(a.summaryID == first.scanID && b.summaryID == first.scanID)
            let runs = try await ScanRepository(database: database).recent(limit: 10)
            #expect(runs.count == 1)
            #expect(runs.first?.state == .finished)
            #expect(await coordinator.runningScan(.ddrive) == nil)
        }
    }

    struct Seen: Sendable {
        var started = 0
        /// First-pass outlet events.
        var outlets = 0
        /// Second-pass outlet events.
        var retried = 0
        var summaryID: String?
    }

    static func collect(_ events: AsyncStream<ScanEvent>) async -> Seen {
        var seen = Seen()
        for await event in events {
            switch event {
            case .started: seen.started += 1
            case .outletFinished(let progress):
                if progress.pass == 1 { seen.outlets += 1 } else { seen.retried += 1 }
            case .retrying: break
            case .finished(let summary): seen.summaryID = summary.scanID
            }
        }
        return seen
    }
}
