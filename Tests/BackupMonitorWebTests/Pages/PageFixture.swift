import BackupMonitor
import BackupMonitorTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitor
@testable import BackupMonitorWeb

/// A monitor with fixed data and a fixed clock for page tests: six outlets (one disabled, one
/// with markup in its name), three days of records, a finished scan, three users with known
/// sessions and one API token. Everything that reaches a page is fixed, so snapshots are exact.
struct PageFixture: Sendable {
    static let now = Date(timeIntervalSince1970: 1_795_168_800)  // 2026-11-20 10:00:00 UTC
    static let today = CalendarDay("2026-11-20")!
    /// Must never appear on a page (SPEC §11).
    static let webhookSecret = "hook-secret-XYZ"

    let dependencies: AppDependencies

    /// Session cookies of the fixture's users; the CSRF token of each is `csrf-<name>`.
    static func cookie(_ username: String) -> String { "bm_session=session-\(username)" }
    static func csrf(_ username: String) -> String { "csrf-\(username)" }

    static func with<R: Sendable>(_ body: (PageFixture) async throws -> R) async throws -> R {
        try await TestDatabase.with(.sqlite) { database in
            let configuration = try TestApp.configuration(
                database,
                extra: [
                    "SCHEDULE_DDRIVE": "06:00,09:30",
                    "NOTIFY_WEBHOOKS": "slack:https://hooks.example/services/T0/B0/\(webhookSecret)",
                ])
            let coordinator = ScanCoordinator(
                configuration: configuration, database: database,
                source: SMBFolderSource(
                    connectTimeout: configuration.connectTimeout, requestTimeout: configuration.requestTimeout),
                logFile: nil, logger: TestApp.logger)
            let dependencies = try AppDependencies(
                configuration: configuration, database: database, coordinator: coordinator,
                passwordHasher: PasswordHasher(cost: 4), keepAliveInterval: .seconds(1), logger: TestApp.logger)
            try await seed(dependencies)
            let fixture = PageFixture(dependencies: dependencies)
            let result = try await body(fixture)
            await coordinator.cancelAll()
            return result
        }
    }

    /// Runs requests against the router (no sockets).
    func test<R: Sendable>(_ test: @Sendable (any TestClientProtocol) async throws -> R) async throws -> R {
        let router = buildRouter(dependencies, pageClock: PageClock { Self.now })
        return try await Application(router: router, logger: TestApp.logger).test(.router, test)
    }

    static let outlets = [
        Outlet(code: "OUTLET001", host: "10.0.0.1", name: "Harbour Road", region: "North"),
        Outlet(code: "OUTLET002", host: "10.0.0.2", name: "Station Square", region: "North"),
        Outlet(code: "OUTLET003", host: "10.0.0.3", name: "Mall <Central> & \"Co\"", region: "South"),
        Outlet(code: "OUTLET004", host: "10.0.0.4", port: 1445, name: "Airport", region: "South", shareOverride: "x$"),
        Outlet(code: "OUTLET005", host: "10.0.0.5", name: "Closed store", region: "East", enabled: false),
        Outlet(code: "OUTLET006", host: "10.0.0.6", name: "Riverside", region: "East", lastIBStorageDrive: "f$"),
    ]

    private static func at(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    private static func record(
        _ mode: ScanMode, _ code: String, _ day: String, _ status: BackupStatus, file: String? = nil,
        size: UInt64? = nil, kind: FailureKind? = nil, details: String? = nil, drive: String? = nil
    ) -> BackupRecord {
        BackupRecord(
            mode: mode, outletCode: code, scanDate: CalendarDay(day)!, status: status,
            lastBackupAt: file == nil ? nil : at("\(day)T02:30:00Z"), fileName: file, fileSize: size,
            duration: .milliseconds(420), failureKind: kind, errorDetails: details, driveLetter: drive,
            scannedAt: at("\(day)T06:00:00Z"))
    }

    static let records: [BackupRecord] = {
        var records: [BackupRecord] = []
        for (offset, day) in ["2026-11-18", "2026-11-19"].enumerated() {
            for code in ["OUTLET001", "OUTLET002", "OUTLET003", "OUTLET004", "OUTLET006"] {
                records.append(
                    record(
                        .ddrive, code, day, .success, file: "\(code)_FULL_\(day).bak",
                        size: 1_500_000_000 + UInt64(offset) * 20_000_000))
            }
        }
        records += [
            record(
                .ddrive, "OUTLET001", "2026-11-20", .success, file: "OUTLET001_FULL_2026-11-20.bak", size: 1_560_000_000
            ),
            record(
                .ddrive, "OUTLET002", "2026-11-20", .success, file: "OUTLET002_FULL_2026-11-20.bak", size: 2_450_000_000
            ),
            record(
                .ddrive, "OUTLET003", "2026-11-20", .failed, file: "OUTLET003_FULL_2026-11-19.bak", size: 1_520_000_000,
                kind: .stale, details: "the newest backup is 1 day old (2026-11-19 02:30)"),
            record(
                .ddrive, "OUTLET004", "2026-11-20", .failed, kind: .unreachable,
                details: "=HYPERLINK(\"http://evil\") connection refused by 10.0.0.4:1445"),
            record(
                .ibstorage, "OUTLET001", "2026-11-20", .success, file: "OUTLET001.zip", size: 1_400_000_000, drive: "F"),
            record(
                .ibstorage, "OUTLET002", "2026-11-20", .failed, kind: .driveNotFound,
                details: "no IBSTORAGE drive: tried e$, f$, g$, h$, i$"),
        ]
        return records
    }()

    static let users: [(name: String, role: UserRole)] = [("alice", .admin), ("bob", .operator), ("carol", .viewer)]

    private static func seed(_ dependencies: AppDependencies) async throws {
        try await dependencies.outlets.save(outlets)
        for record in records { try await dependencies.records.save(record) }
        let created = at("2026-11-01T08:00:00Z")
        for (index, user) in users.enumerated() {
            let id = "00000000-0000-0000-0000-00000000000\(index + 1)"
            try await dependencies.users.create(
                MonitorUser(
                    id: id, username: user.name,
                    passwordHash: try await dependencies.passwordHasher.hash(TestApp.password),
                    role: user.role, createdAt: created, updatedAt: created))
            try await dependencies.sessions.insert(
                StoredSession(
                    tokenHash: SecretToken.hash("session-\(user.name)"), userID: id, csrfToken: csrf(user.name),
                    createdAt: created, expiresAt: Date().addingTimeInterval(3600)))
        }
        try await dependencies.tokens.insert(
            ApiToken(
                id: "00000000-0000-0000-0000-0000000000a1", userID: "00000000-0000-0000-0000-000000000001",
                name: "nightly report", role: .viewer, tokenHash: SecretToken.hash("bmt_fixture"), createdAt: created))
        let scans = ScanRepository(database: dependencies.database)
        let started = ScanStarted(
            scanID: "00000000-0000-0000-0000-0000000000c1", mode: .ddrive, day: today, kind: .full,
            triggeredBy: "user:bob", total: 5, startedAt: at("2026-11-20T06:00:00Z"))
        try await scans.insert(started)
        try await scans.finish(
            ScanSummary(
                scanID: started.scanID, mode: .ddrive, day: today,
                records: records.filter { $0.mode == .ddrive && $0.scanDate == today }, succeeded: 2, failed: 2,
                processingTime: .seconds(42), finishedAt: at("2026-11-20T06:00:42Z")),
            state: .finished)
    }
}

extension HTTPFields {
    /// A signed-in browser of `username`; `form` adds the urlencoded content type.
    static func session(_ username: String, form: Bool = false) -> HTTPFields {
        var fields: HTTPFields = [.cookie: PageFixture.cookie(username)]
        if form { fields[.contentType] = "application/x-www-form-urlencoded" }
        return fields
    }
}

/// Compares rendered pages with files under `__Snapshots__`, exactly. `RECORD_SNAPSHOTS=1`
/// rewrites them (then review the diff); a missing snapshot is written and the test fails once.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("__Snapshots__")

    static func assert(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        guard !record, let stored = try? String(contentsOf: url, encoding: .utf8) else {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            if !record {
                Issue.record("recorded a new snapshot \(name); run the test again", sourceLocation: sourceLocation)
            }
            return
        }
        if stored != text {
            let lines = zip(
                stored.split(separator: "\n", omittingEmptySubsequences: false),
                text.split(separator: "\n", omittingEmptySubsequences: false))
            let first = lines.enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record(
                """
                \(name) differs from its snapshot (RECORD_SNAPSHOTS=1 re-records) at line \((first?.offset ?? 0) + 1):
                stored:   \(first.map { String($0.element.0) } ?? "(length differs)")
                rendered: \(first.map { String($0.element.1) } ?? "")
                """, sourceLocation: sourceLocation)
        }
    }
}
