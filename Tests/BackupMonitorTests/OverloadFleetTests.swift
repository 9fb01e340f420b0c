import BackupMonitorTesting
import Foundation
import Logging
import Testing

@testable import BackupMonitor

/// SPEC §6: a scan never blames outlets for the monitor's own overload. Full D-Drive scans of
/// the fleet at the production concurrency (256) while the monitor is starved of CPU, and while
/// the path to the outlets is choked: the stored verdicts must still equal the manifest. The
/// time-outs the overload causes are tried again, and if they answer then, the scan says it was
/// degraded.
@Suite(
    "A starved monitor or a choked path blames no outlet (Samba fleet)", .enabled(if: FleetManifest.isAvailable),
    .serialized)
struct OverloadFleetTests {
    static let logger = Logger(label: "test.overload")
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func aScanWhileEveryCoreIsBusyStoresTheManifestsVerdicts() async throws {
        let manifest = try FleetManifest.load()
        // The outlets are other machines: only the monitor is starved. The fleet's servers (and
        // every session process they fork) run ahead of the busy loops, as a real outlet's CPU
        // would; otherwise the test would starve the outlets too and measure Samba, not us.
        try await FleetProcesses(manifest).withPriority(-10) {
            try await Self.withCPUHog {
                try await Self.scanMatchesManifest(manifest, label: "starved")
            }
        }
    }

    @Test func aScanOverAChokedPathStoresTheManifestsVerdicts() async throws {
        let manifest = try FleetManifest.load()
        // A saturated uplink: 8 Mbit/s to all outlets, and a second of 1 Mbit/s every 4 s, in
        // which requests queue behind each other for seconds (bursts of delay).
        try await Self.withChokedPath(
            manifest, ["--rate", "4mbit", "--burst-rate", "256kbit", "--every", "4", "--length", "1.5"]
        ) {
            // The production deadlines: a SYN lost in the queue is sent again after 1 s and 3 s,
            // a lost segment after 0.2 s, 0.4 s, 0.8 s…, and the test fleet's short deadlines
            // (2 s to connect, 5 s per request) would make every such loss in a burst an outage.
            try await Self.scanMatchesManifest(
                manifest, label: "choked",
                settings: ["SMB_CONNECT_TIMEOUT": "5", "SMB_REQUEST_TIMEOUT": "10", "OUTLET_TIMEOUT": "30"])
        }
    }

    /// One full D-Drive scan at SCAN_CONCURRENCY=256, compared outlet by outlet with the manifest.
    static func scanMatchesManifest(_ manifest: FleetManifest, label: String, settings: [String: String] = [:])
        async throws
    {
        try await TestDatabase.with(.sqlite) { database in
            var environment = manifest.environment(database: database.location, logDirectory: "/tmp/bm-test-logs")
            environment["SCAN_CONCURRENCY"] = "256"
            environment.merge(settings) { $1 }
            let configuration = try MonitorConfiguration(values: environment)
            try await OutletRepository(database: database).save(manifest.domainOutlets)
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database, logFile: nil, logger: Self.logger)
            let day = CalendarDay(manifest.today)!
            let summary = try await coordinator.run(ScanRequest(mode: .ddrive, day: day, triggeredBy: "test"))
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
            print("\(label) scan: \(figures); \(summary.degradation?.sentence ?? "not degraded")")
        }
    }

    /// Busy loops, two per core, for as long as `body` runs (killed after, pass or fail).
    ///
    /// Spawned and reaped with posix_spawn, kill and waitpid: Foundation's `Process` here once
    /// left the hogs running and its `waitUntilExit` spinning after the scan had ended.
    static func withCPUHog<R>(_ body: () async throws -> R) async throws -> R {
        let count = 2 * ProcessInfo.processInfo.activeProcessorCount
        var hogs: [pid_t] = []
        defer {
            for pid in hogs { kill(pid, SIGKILL) }
            for pid in hogs { _ = ChildProcess.wait(pid) }
        }
        for _ in 0..<count {
            hogs.append(try ChildProcess.spawn(["/usr/bin/python3", "-c", "while True: pass"]))
        }
        return try await body()
    }

    /// `fleet choke` for as long as `body` runs, `fleet choke --off` after, pass or fail.
    static func withChokedPath<R>(_ manifest: FleetManifest, _ arguments: [String], _ body: () async throws -> R)
        async throws -> R
    {
        let fleet = repository.appendingPathComponent("scripts/fleet/fleet").path
        let status = ChildProcess.wait(try ChildProcess.spawn([fleet, "choke", "--root", manifest.root] + arguments))
        guard status == 0 else { throw TestEnvironmentError("fleet choke failed (exit \(status))") }
        defer { _ = try? ChildProcess.wait(ChildProcess.spawn([fleet, "choke", "--root", manifest.root, "--off"])) }
        return try await body()
    }
}

/// Child processes without Foundation's `Process` (see `withCPUHog`).
enum ChildProcess {
    static func spawn(_ arguments: [String]) throws -> pid_t {
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let result = posix_spawn(&pid, arguments[0], nil, nil, &argv, environ)
        guard result == 0 else { throw TestEnvironmentError("cannot start \(arguments[0]): errno \(result)") }
        return pid
    }

    /// Reaps `pid`; its exit status, or -1 when it did not exit normally.
    @discardableResult
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }
}

/// The fleet's server processes, each with the session processes it forks (its process group).
struct FleetProcesses {
    let groups: [pid_t]

    init(_ manifest: FleetManifest) {
        groups = manifest.instances.map { getpgid($0.pid) }.filter { $0 > 0 }
    }

    /// Runs `body` with the fleet at `nice` (children forked meanwhile inherit it), then at 0.
    func withPriority<R>(_ nice: Int32, _ body: () async throws -> R) async throws -> R {
        for group in groups { setpriority(__priority_which_t(PRIO_PGRP.rawValue), id_t(group), nice) }
        defer { for group in groups { setpriority(__priority_which_t(PRIO_PGRP.rawValue), id_t(group), 0) } }
        return try await body()
    }
}
