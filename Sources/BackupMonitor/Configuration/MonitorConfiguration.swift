import Configuration
import Foundation
import Logging
import SystemPackage

/// The monitor's settings, read once at start from the environment and `.env` (SPEC §9).
public struct MonitorConfiguration: Sendable {
    public var share: String
    public var folder: String
    /// nil when `USER` is unset: the server still serves history, scans refuse with a clear error.
    public var ddriveAccount: SMBAccount?
    public var ibStorageDrives: [String]
    public var ibStorageFolder: String
    public var ibStorageAccount: SMBAccount?
    /// `SMB_DOMAIN`: the NTLM domain of logins that name none (per-outlet ones included).
    public var smbDomain: String
    /// The key sealing per-outlet passwords (`SECRET_KEY`, or the file `SECRET_KEY_FILE`).
    public var secretKey: SecretKeySource
    public var corsOrigins: [String]
    public var database: DatabaseLocation
    public var listenHost: String
    public var listenPort: Int
    public var timeZone: TimeZone
    public var patterns: BackupPatterns
    public var minimumBackupBytes: UInt64
    public var connectTimeout: Duration
    public var requestTimeout: Duration
    public var outletTimeout: Duration
    /// The ceiling of the adaptive session limit (`SCAN_CONCURRENCY`) and its floor.
    public var scanConcurrency: Int
    public var scanConcurrencyFloor: Int
    public var logDirectory: String
    public var logLevel: Logger.Level
    /// Scheduled scan times per mode (`SCHEDULE_DDRIVE`, `SCHEDULE_IBSTORAGE`); empty: no schedule.
    public var scheduleTimes: [ScanMode: [LocalTime]]
    /// Time between re-scans of failing outlets after a scheduled scan; nil: no re-scans.
    public var retryInterval: Duration?
    /// Local cut-off for re-scans and for catching up a missed slot; nil: the end of the day.
    public var retryUntil: LocalTime?
    public var webhooks: [WebhookTarget]
    public var notifyAttempts: Int
    public var notifyTimeout: Duration
    /// Raw values by variable name, for the effective-configuration view (secrets masked there).
    public var values: [String: String]

    /// Reads `environment` first, then the `.env` file at `dotEnvPath` (missing is fine).
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnvPath: String? = ".env"
    ) async throws -> MonitorConfiguration {
        var providers: [any ConfigProvider] = [EnvironmentVariablesProvider(environmentVariables: environment)]
        if let dotEnvPath {
            do {
                providers.append(
                    try await EnvironmentVariablesProvider(
                        environmentFilePath: FilePath(dotEnvPath), allowMissing: true))
            } catch {
                throw ConfigurationError(variable: dotEnvPath, problem: "cannot read the .env file: \(error)")
            }
        }
        let reader = ConfigReader(providers: providers)
        var values: [String: String] = [:]
        for variable in ConfigurationVariable.all {
            if let value = reader.string(forKey: ConfigKey(variable.name), isSecret: variable.isSecret) {
                values[variable.name] = value
            }
        }
        return try MonitorConfiguration(values: values)
    }

    /// Validates raw values; every error names its variable.
    public init(values: [String: String]) throws {
        let parser = ValueParser(values: values)
        share = try parser.nonEmpty("SHARE")
        folder = try parser.nonEmpty("FOLDER")
        let domain = parser.text("SMB_DOMAIN")
        smbDomain = domain
        if let user = parser.optional("USER") {
            ddriveAccount = SMBAccount(login: user, password: parser.text("PASS"), defaultDomain: domain)
        }
        if let user = parser.optional("SMB_USER") {
            ibStorageAccount = SMBAccount(login: user, password: parser.text("SMB_PASS"), defaultDomain: domain)
        } else if let ddriveAccount {
            let password = parser.optional("SMB_PASS") ?? ddriveAccount.password
            ibStorageAccount = SMBAccount(user: ddriveAccount.user, password: password, domain: ddriveAccount.domain)
        }
        if let text = parser.optional("SECRET_KEY") {
            guard let key = SecretKeySource.parse(text) else {
                throw ConfigurationError(
                    variable: "SECRET_KEY",
                    problem: "expected 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)")
            }
            secretKey = .value(key)
        } else {
            secretKey = .file(try parser.nonEmpty("SECRET_KEY_FILE"))
        }
        ibStorageDrives = try parser.list("IB_STORAGE_DRIVES")
        ibStorageFolder = try parser.nonEmpty("IB_STORAGE_FOLDER")
        corsOrigins = parser.text("CORS_ORIGINS").split(separator: ",").map { String($0).trimmingWhitespace() }
            .filter { !$0.isEmpty }
        do {
            database = try DatabaseLocation(url: parser.text("DATABASE_URL"))
        } catch {
            throw ConfigurationError(variable: "DATABASE_URL", problem: "\(error)")
        }
        listenHost = try parser.nonEmpty("LISTEN_HOST")
        listenPort = try parser.integer("LISTEN_PORT", in: 1...65535)
        if let zone = parser.optional("TZ") {
            // TZ may be a path form such as ":Europe/Berlin" (glibc); the leading colon is not part of the name.
            let name = zone.hasPrefix(":") ? String(zone.dropFirst()) : zone
            guard let timeZone = TimeZone(identifier: name) else {
                throw ConfigurationError(variable: "TZ", problem: "unknown time zone \"\(zone)\" (use an IANA name)")
            }
            self.timeZone = timeZone
        } else {
            timeZone = .current
        }
        guard let patterns = BackupPatterns(commaSeparated: parser.text("BACKUP_PATTERNS")) else {
            throw ConfigurationError(
                variable: "BACKUP_PATTERNS", problem: "expected comma-separated globs such as *.bak")
        }
        self.patterns = patterns
        minimumBackupBytes = UInt64(try parser.integer("MIN_BACKUP_BYTES", in: 0...Int.max))
        connectTimeout = try parser.seconds("SMB_CONNECT_TIMEOUT")
        requestTimeout = try parser.seconds("SMB_REQUEST_TIMEOUT")
        outletTimeout = try parser.seconds("OUTLET_TIMEOUT")
        scanConcurrency = try parser.integer("SCAN_CONCURRENCY", in: 1...10_000)
        scanConcurrencyFloor = try parser.integer("SCAN_CONCURRENCY_FLOOR", in: 1...10_000)
        logDirectory = try parser.nonEmpty("LOG_DIR")
        let level = parser.text("LOG_LEVEL").lowercased()
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw ConfigurationError(
                variable: "LOG_LEVEL",
                problem: "\"\(level)\" is not one of trace, debug, info, notice, warning, error, critical")
        }
        self.logLevel = logLevel
        var scheduleTimes: [ScanMode: [LocalTime]] = [:]
        for (mode, name) in [(ScanMode.ddrive, "SCHEDULE_DDRIVE"), (.ibstorage, "SCHEDULE_IBSTORAGE")] {
            guard let times = LocalTime.list(parser.text(name)) else {
                throw ConfigurationError(variable: name, problem: "expected times such as 07:30 or 07:30,13:00")
            }
            scheduleTimes[mode] = times
        }
        self.scheduleTimes = scheduleTimes
        let retryMinutes = try parser.integer("RETRY_INTERVAL_MINUTES", in: 0...1440)
        retryInterval = retryMinutes == 0 ? nil : .seconds(retryMinutes * 60)
        if values["RETRY_UNTIL"] != nil, parser.optional("RETRY_UNTIL") == nil {
            retryUntil = nil  // set but empty: re-scans and catch-up run until the end of the day
        } else {
            let text = parser.text("RETRY_UNTIL")
            guard let time = LocalTime(text) else {
                throw ConfigurationError(variable: "RETRY_UNTIL", problem: "\"\(text)\" is not a time such as 12:00")
            }
            retryUntil = time
        }
        webhooks = try parser.text("NOTIFY_WEBHOOKS").split(separator: ",").map {
            String($0).trimmingWhitespace()
        }.filter { !$0.isEmpty }.map { item in
            switch WebhookTarget.parse(item) {
            case .success(let target): return target
            case .failure(let error): throw ConfigurationError(variable: "NOTIFY_WEBHOOKS", problem: error.problem)
            }
        }
        notifyAttempts = try parser.integer("NOTIFY_ATTEMPTS", in: 1...10)
        notifyTimeout = try parser.seconds("NOTIFY_TIMEOUT")
        self.values = values
    }

    /// Every variable with its effective value, secrets replaced by `*****`.
    public var effectiveValues: [(variable: ConfigurationVariable, value: String)] {
        ConfigurationVariable.all.map { variable in
            let value = values[variable.name] ?? variable.defaultValue ?? ""
            return (variable, variable.isSecret && !value.isEmpty ? "*****" : value)
        }
    }
}

/// Reads raw values with their catalogue defaults and turns bad ones into `ConfigurationError`.
private struct ValueParser {
    let values: [String: String]
    private let defaults = Dictionary(
        uniqueKeysWithValues: ConfigurationVariable.all.map { ($0.name, $0.defaultValue) })

    init(values: [String: String]) { self.values = values }

    func optional(_ name: String) -> String? {
        guard let value = values[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    func text(_ name: String) -> String {
        optional(name) ?? (defaults[name] ?? nil) ?? ""
    }

    func nonEmpty(_ name: String) throws -> String {
        let value = text(name)
        guard !value.isEmpty else { throw ConfigurationError(variable: name, problem: "must not be empty") }
        return value
    }

    func list(_ name: String) throws -> [String] {
        let items = text(name).split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        guard !items.isEmpty else {
            throw ConfigurationError(variable: name, problem: "expected a comma-separated list")
        }
        return items
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int {
        let value = text(name)
        guard let number = Int(value), range.contains(number) else {
            throw ConfigurationError(
                variable: name,
                problem: "\"\(value)\" is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func seconds(_ name: String) throws -> Duration {
        let value = text(name)
        guard let seconds = Double(value), seconds > 0, seconds <= 3600 else {
            throw ConfigurationError(variable: name, problem: "\"\(value)\" is not a number of seconds from 0 to 3600")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
