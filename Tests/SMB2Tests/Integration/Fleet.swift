import Foundation
import Testing

@testable import SMB2

/// The Samba test fleet's manifest (scripts/fleet/fleet up), reduced to what these tests read.
struct FleetManifest: Decodable {
    struct Account: Decodable {
        var user: String
        var password: String
        var credentials: SMB2Credentials { SMB2Credentials(user: user, password: password) }
    }

    struct Scenario: Decodable {
        var network: String
        var ddrive: String
    }

    struct Outlet: Decodable {
        var code: String
        var host: String
        var port: Int
        var scenario: Scenario
        var folders: [String: String]
        var tree: String?
    }

    var share: String
    var folder: String
    var ibStorageDrives: [String]
    var ibStorageFolder: String
    var credentials: [String: Account]
    var outlets: [Outlet]

    func outlet(network: String = "ok", ddrive: String = "healthy") throws -> Outlet {
        guard let outlet = outlets.first(where: { $0.scenario.network == network && $0.scenario.ddrive == ddrive })
        else {
            throw FleetError("the fleet has no outlet with network=\(network) ddrive=\(ddrive)")
        }
        return outlet
    }

    func account(_ name: String) throws -> SMB2Credentials {
        guard let account = credentials[name] else { throw FleetError("the manifest has no \(name) credentials") }
        return account.credentials
    }

    /// The folder on disk that `share`/`folder` of `outlet` serves (`d$` → `<tree>/d`).
    func diskPath(_ outlet: Outlet, share: String? = nil, folder: String? = nil) -> String {
        let drive = (share ?? self.share).replacingOccurrences(of: "$", with: "")
        return (outlet.tree ?? "/nonexistent") + "/" + drive + "/" + (folder ?? self.folder)
    }
}

struct FleetError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where the manifest is and whether the integration tests must run.
enum Fleet {
    static let environment = ProcessInfo.processInfo.environment
    static let manifestPath = environment["FLEET_MANIFEST"] ?? "/tmp/backup-monitor-fleet/manifest.json"
    static let isRequired = environment["REQUIRE_FLEET"] == "1"
    static let isPresent = FileManager.default.fileExists(atPath: manifestPath)
    /// Run when the fleet is up, or when it is required (then a missing fleet fails loudly).
    static let shouldRun = isPresent || isRequired

    /// The manifest as found when the tests were discovered (nil when absent or unreadable).
    static let discovered: FleetManifest? = try? manifest()

    /// Whether a test needing an outlet of this scenario should run: the fleet offers one, or the
    /// fleet is required (a missing scenario then fails the test with a clear message).
    static func offers(network: String = "ok", ddrive: String = "healthy") -> Bool {
        if isRequired { return true }
        return (try? discovered?.outlet(network: network, ddrive: ddrive)) != nil
    }

    static func manifest() throws -> FleetManifest {
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw FleetError(
                "fleet manifest missing at \(manifestPath) (REQUIRE_FLEET=1): start the fleet with scripts/fleet/fleet up"
                    + " or point FLEET_MANIFEST at it")
        }
        return try JSONDecoder().decode(FleetManifest.self, from: data)
    }

    static func client(_ adjust: (inout SMB2ClientConfiguration) -> Void = { _ in }) -> SMB2Client {
        var configuration = SMB2ClientConfiguration()
        adjust(&configuration)
        return SMB2Client(configuration: configuration)
    }
}

/// One file as the oracle (disk or smbclient) sees it: name, size, mtime to the second.
struct ListedFile: Hashable, CustomStringConvertible {
    var name: String
    var size: UInt64
    var modified: Int64

    init(name: String, size: UInt64, modified: Int64) {
        self.name = name
        self.size = size
        self.modified = modified
    }

    init(_ entry: SMB2DirectoryEntry) {
        name = entry.name
        size = entry.isDirectory ? 0 : entry.endOfFile
        modified = Int64(entry.lastWriteTime.date.timeIntervalSince1970.rounded(.down))
    }

    var description: String { "\(name) \(size) \(modified)" }

    /// Regular files and folders of `path` on disk, without "." and "..".
    static func onDisk(_ path: String) throws -> Set<ListedFile> {
        let manager = FileManager.default
        var result: Set<ListedFile> = []
        for name in try manager.contentsOfDirectory(atPath: path) {
            let attributes = try manager.attributesOfItem(atPath: path + "/" + name)
            let isDirectory = attributes[.type] as? FileAttributeType == .typeDirectory
            let size = isDirectory ? 0 : (attributes[.size] as? NSNumber)?.uint64Value ?? 0
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            result.insert(ListedFile(name: name, size: size, modified: Int64(modified.rounded(.down))))
        }
        return result
    }

    /// What `smbclient //host/share -c 'ls folder/*'` prints, parsed (run with TZ=UTC).
    static func fromSMBClient(host: String, share: String, folder: String, credentials: SMB2Credentials) throws
        -> Set<ListedFile>
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/smbclient")
        process.arguments = [
            "//\(host)/\(share)", "-U", "\(credentials.user)%\(credentials.password)", "-c", "ls \(folder)/*",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["TZ"] = "UTC"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FleetError("smbclient failed: \(output)") }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM d HH:mm:ss yyyy"
        let line = try Regex(#"^  (.+?)\s+([ADHNRS]+)\s+(\d+)\s+(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})$"#)
        var result: Set<ListedFile> = []
        for text in output.split(separator: "\n") {
            guard let match = try line.wholeMatch(in: String(text)) else { continue }
            guard let name = match.output[1].substring.map(String.init), let attributes = match.output[2].substring,
                let size = match.output[3].substring.flatMap({ UInt64($0) }),
                let dateText = match.output[4].substring,
                let date = formatter.date(from: dateText.replacingOccurrences(of: "  ", with: " "))
            else { continue }
            if name == "." || name == ".." { continue }
            let isDirectory = attributes.contains("D")
            result.insert(
                ListedFile(name: name, size: isDirectory ? 0 : size, modified: Int64(date.timeIntervalSince1970)))
        }
        return result
    }
}
