import BackupMonitor
import Foundation

/// The simulated fleet's manifest (scripts/fleet): every outlet's address and expected result.
/// Shared by the test targets (integration tests against the real Samba fleet).
public struct FleetManifest: Decodable, Sendable {
    public struct Account: Decodable, Sendable {
        public var user: String
        public var password: String
    }

    public struct Expected: Decodable, Equatable, Sendable {
        public var status: String
        public var errorKind: String?
        public var file: String?
        public var size: UInt64?
        public var lastWriteTime: String?
        public var advancedDate: Bool
        public var driveLetter: String?
    }

    public struct Outlet: Decodable, Sendable {
        public var code: String
        public var name: String
        public var region: String
        public var host: String
        public var port: Int
        public var ddrive: [String: Expected]
        public var ibstorage: [String: Expected]
        /// `{network, ddrive, ibstorage}`: what is special about this outlet (`ok`/`healthy` if nothing).
        public var scenario: [String: String]?

        public func expected(_ mode: ScanMode, _ day: CalendarDay) -> Expected? {
            (mode == .ddrive ? ddrive : ibstorage)[day.description]
        }
    }

    /// One server process of the fleet (an smbd instance or the latency proxy).
    public struct Instance: Decodable, Sendable {
        public var name: String
        public var kind: String
        public var pid: Int32
    }

    /// Where the fleet lives (`fleet up --root`), for `fleet choke`.
    public var root: String
    public var instances: [Instance]
    public var today: String
    public var pastDate: String
    public var timeZone: String
    public var share: String
    public var folder: String
    public var ibStorageDrives: [String]
    public var ibStorageFolder: String
    public var credentials: [String: Account]
    public var outlets: [Outlet]

    public static var path: String {
        ProcessInfo.processInfo.environment["FLEET_MANIFEST"] ?? "/tmp/backup-monitor-fleet/manifest.json"
    }

    public static var isRequired: Bool { ProcessInfo.processInfo.environment["REQUIRE_FLEET"] == "1" }

    /// Integration tests run when the fleet is up, and must run when the test command promised it.
    public static var isAvailable: Bool { isRequired || FileManager.default.fileExists(atPath: path) }

    public static func load() throws -> FleetManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TestEnvironmentError(
                "no fleet manifest at \(path): start the fleet with scripts/fleet/fleet up, or run scripts/test")
        }
        return try JSONDecoder().decode(FleetManifest.self, from: data)
    }

    public var days: [CalendarDay] { [CalendarDay(today)!, CalendarDay(pastDate)!] }

    public var domainOutlets: [BackupMonitor.Outlet] {
        outlets.map {
            BackupMonitor.Outlet(code: $0.code, host: $0.host, port: $0.port, name: $0.name, region: $0.region)
        }
    }

    /// Settings that point the monitor at this fleet, with short deadlines so dead outlets end quickly.
    public func configuration(database: DatabaseLocation, logDirectory: String = "/tmp/bm-test-logs") throws
        -> MonitorConfiguration
    {
        try MonitorConfiguration(values: environment(database: database, logDirectory: logDirectory))
    }

    public func environment(database: DatabaseLocation, logDirectory: String) -> [String: String] {
        [
            "USER": credentials["ddrive"]!.user, "PASS": credentials["ddrive"]!.password,
            "SMB_USER": credentials["ibstorage"]!.user, "SMB_PASS": credentials["ibstorage"]!.password,
            "SHARE": share, "FOLDER": folder, "IB_STORAGE_DRIVES": ibStorageDrives.joined(separator: ","),
            "IB_STORAGE_FOLDER": ibStorageFolder, "TZ": timeZone, "DATABASE_URL": database.urlText,
            // One smbd forks a process per session on 2 shared cores: a modest concurrency keeps
            // every healthy outlet well inside its deadlines (real outlets are separate machines).
            "SMB_CONNECT_TIMEOUT": "2", "SMB_REQUEST_TIMEOUT": "5", "OUTLET_TIMEOUT": "20", "SCAN_CONCURRENCY": "32",
            "LOG_DIR": logDirectory,
        ]
    }
}

extension DatabaseLocation {
    public var urlText: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url
        }
    }
}

extension FleetManifest.Expected {
    /// The stored record in the manifest's terms, for one equality check with a readable diff.
    public init(_ record: BackupRecord, timeZone: TimeZone) {
        status = record.status.rawValue
        errorKind = record.failureKind?.rawValue
        file = record.fileName
        size = record.fileSize
        lastWriteTime = record.lastBackupAt.map { Self.isoSeconds($0, timeZone) }
        advancedDate = record.isAdvanced
        driveLetter = record.driveLetter
    }

    /// The manifest writes Python's isoformat (`2026-11-27T02:00:00+07:00`); compare to the second.
    public static func isoSeconds(_ date: Date, _ timeZone: TimeZone) -> String {
        ISO8601Text.format(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)), timeZone: timeZone)
    }
}
