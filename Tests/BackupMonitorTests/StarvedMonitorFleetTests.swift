import BackupMonitorTesting
import Foundation
import Logging
import Testing

@testable import BackupMonitor

/// SPEC §6: a scan never blames outlets for the monitor's own overload. A full D-Drive scan of
/// the fleet at the production concurrency (256) while busy loops take every core: the stored
/// verdicts must still equal the manifest. Time-outs the overload causes are tried again, and
/// if they answer then, the scan says it was degraded.
@Suite("A starved monitor blames no outlet (Samba fleet)", .enabled(if: FleetManifest.isAvailable), .serialized)
struct StarvedMonitorFleetTests {
    static let logger = Logger(label: "test.starved")

    /// Busy loops, two per core, for as long as `body` runs (killed after, pass or fail).
    ///
    /// Spawned and reaped with posix_spawn, kill and waitpid: Foundation's `Process` here once
    /// left the hogs running and its `waitUntilExit` spinning after the scan had ended.
    static func withCPUHog<R>(_ body: () async throws -> R) async throws -> R {
        let count = 2 * ProcessInfo.processInfo.activeProcessorCount
        var hogs: [pid_t] = []
        defer {
            for pid in hogs { kill(pid, SIGKILL) }
            for pid in hogs {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            }
        }
        for _ in 0..<count {
            var pid: pid_t = 0
            let arguments = ["/usr/bin/python3", "-c", "while True: pass"]
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            let result = posix_spawn(&pid, arguments[0], nil, nil, &argv, environ)
            guard result == 0 else { throw TestEnvironmentError("cannot start a CPU hog: errno \(result)") }
            hogs.append(pid)
        }
        return try await body()
    }

    @Test func aScanWhileEveryCoreIsBusyStoresTheManifestsVerdicts() async throws {
        let manifest = try FleetManifest.load()
        try await TestDatabase.with(.sqlite) { database in
            var environment = manifest.environment(database: database.location, logDirectory: "/tmp/bm-test-logs")
            environment["SCAN_CONCURRENCY"] = "256"
            let configuration = try MonitorConfiguration(values: environment)
            try await OutletRepository(database: database).save(manifest.domainOutlets)
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database, logFile: nil, logger: Self.logger)
            let day = CalendarDay(manifest.today)!
            let summary = try await Self.withCPUHog {
                try await coordinator.run(ScanRequest(mode: .ddrive, day: day, triggeredBy: "test"))
            }
            let stored = try await RecordRepository(database: database).records(
                matching: RecordFilter(mode: .ddrive, from: day, to: day), limit: 100_000)
            var falseFailures: [String] = []
            var mismatches: [String] = []
            for record in stored {
                guard let want = manifest.outlets.first(where: { $0.code == record.outletCode })?.expected(.ddrive, day)
                else { continue }
                let got = FleetManifest.Expected(record, timeZone: configuration.timeZone)
                guard got != want else { continue }
                let line = "\(record.outletCode): got \(got), want \(want); \(record.errorDetails ?? "")"
                if want.status == "success" { falseFailures.append(line) } else { mismatches.append(line) }
            }
            let figures =
                "first pass \(summary.firstPass), retried \(summary.retried), recovered \(summary.recovered), "
                + "lag \(summary.loopLagMax.map { "\($0)" } ?? "-"), "
                + "concurrency \(summary.concurrency.map { "\($0.limit)" }.joined(separator: "→"))"
            #expect(stored.count == manifest.outlets.count)
            #expect(
                falseFailures.isEmpty,
                "\(falseFailures.count) false failures; \(figures)\n\(falseFailures.prefix(10).joined(separator: "\n"))"
            )
            #expect(mismatches.isEmpty, "\(mismatches.prefix(10).joined(separator: "\n"))")
            #expect(summary.loopLagMax != nil)
            // The overload's time-outs, where there were any, answered on the second pass, and
            // then the scan says so rather than blaming the outlets.
            if summary.recovered >= 3, summary.recovered * 4 >= summary.retried {
                #expect(summary.degradation != nil, "\(figures)")
            }
            print("starved scan: \(figures); \(summary.degradation?.sentence ?? "not degraded")")
        }
    }
}
