import Foundation
import Testing

@testable import BackupMonitor

/// The simulated fleet's manifest (scripts/fleet): every outlet's address and expected result.
struct FleetManifest: Decodable {
    struct Account: Decodable {
        var user: String
        var password: String
    }

    struct Expected: Decodable, Equatable {
        var status: String
        var errorKind: String?
        var file: String?
        var size: UInt64?
        var lastWriteTime: String?
        var advancedDate: Bool
        var driveLetter: String?
    }

    struct Outlet: Decodable {
        var code: String
        var name: String
        var region: String
        var host: String
        var port: Int
        var ddrive: [String: Expected]
        var ibstorage: [String: Expected]

        func expected(_ mode: ScanMode, _ day: CalendarDay) -> Expected? {
            (mode == .ddrive ? ddrive : ibstorage)[day.description]
        }
    }

    var today: String
    var pastDate: String
    var timeZone: String
    var share: String
    var folder: String
    var ibStorageDrives: [String]
    var ibStorageFolder: String
    var credentials: [String: Account]
    var outlets: [Outlet]

    static var path: String {
        ProcessInfo.processInfo.environment["FLEET_MANIFEST"] ?? "/tmp/backup-monitor-fleet/manifest.json"
    }

    static var isRequired: Bool { ProcessInfo.processInfo.environment["REQUIRE_FLEET"] == "1" }

    /// Integration tests run when the fleet is up, and must run when the test command promised it.
    static var isAvailable: Bool { isRequired || FileManager.default.fileExists(atPath: path) }

    static func load() throws -> FleetManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record(
                "no fleet manifest at \(path): start the fleet with scripts/fleet/fleet up, or run scripts/test")
            throw CancellationError()
        }
        return try JSONDecoder().decode(FleetManifest.self, from: data)
    }

    var days: [CalendarDay] { [CalendarDay(today)!, CalendarDay(pastDate)!] }

    var domainOutlets: [BackupMonitor.Outlet] {
        outlets.map {
            BackupMonitor.Outlet(code: $0.code, host: $0.host, port: $0.port, name: $0.name, region: $0.region)
        }
    }

    /// Settings that point the monitor at this fleet, with short deadlines so dead outlets end quickly.
    func configuration(database: DatabaseLocation, logDirectory: String = "/tmp/bm-test-logs") throws
        -> MonitorConfiguration
    {
        try MonitorConfiguration(values: environment(database: database, logDirectory: logDirectory))
    }

    func environment(database: DatabaseLocation, logDirectory: String) -> [String: String] {
        [
            "USER": credentials["ddrive"]!.user, "PASS": credentials["ddrive"]!.password,
            "SMB_USER": credentials["ibstorage"]!.user, "SMB_PASS": credentials["ibstorage"]!.password,
            "SHARE": share, "FOLDER": folder, "IB_STORAGE_DRIVES": ibStorageDrives.joined(separator: ","),
            "IB_STORAGE_FOLDER": ibStorageFolder, "TZ": timeZone, "DATABASE_URL": database.urlText,
            "SMB_CONNECT_TIMEOUT": "2", "SMB_REQUEST_TIMEOUT": "3", "OUTLET_TIMEOUT": "8", "LOG_DIR": logDirectory,
        ]
    }
}

extension DatabaseLocation {
    var urlText: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url
        }
    }
}

extension FleetManifest.Expected {
    /// The stored record in the manifest's terms, for one equality check with a readable diff.
    init(_ record: BackupRecord, timeZone: TimeZone) {
        status = record.status.rawValue
        errorKind = record.failureKind?.rawValue
        file = record.fileName
        size = record.fileSize
        lastWriteTime = record.lastBackupAt.map { Self.isoSeconds($0, timeZone) }
        advancedDate = record.isAdvanced
        driveLetter = record.driveLetter
    }

    /// The manifest writes Python's isoformat (`2026-11-27T02:00:00+07:00`); compare to the second.
    static func isoSeconds(_ date: Date, _ timeZone: TimeZone) -> String {
        ISO8601Text.format(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)), timeZone: timeZone)
    }
}
