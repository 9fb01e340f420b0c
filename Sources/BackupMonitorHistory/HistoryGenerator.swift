import BackupMonitor
import Foundation
import SQLKit

/// Fills a database with a plausible fleet history (outlets, one record per outlet, day and mode,
/// one finished scan per mode and day) for the web benchmark: the same seed gives the same rows on
/// SQLite and PostgreSQL.
///
/// The rows follow SPEC §4 and §5 as the scanner writes them: most outlets back up every night
/// between 01:00 and 04:00 and their files grow slowly; a few outlets are flaky; failures come in
/// streaks (a server that is down tonight is often down tomorrow) and carry the newest file seen,
/// so `stale` says how many days old it is. Records go in through the scanner's own upsert
/// (`RecordRepository.save`, one declaration of the columns), 20 000 per transaction.
///
/// Its own module, built only for the benchmarks and tests (the `generate-history` tool): no
/// production binary can wipe a database by a typo.
public struct HistoryGenerator: Sendable {
    public struct Options: Sendable, Hashable {
        public var outlets: Int
        public var days: Int
        /// The newest scan date; the history covers `days` days up to and including it.
        public var endDate: CalendarDay
        public var seed: UInt64
        public var timeZone: TimeZone

        public init(outlets: Int, days: Int, endDate: CalendarDay, seed: UInt64, timeZone: TimeZone) {
            self.outlets = outlets
            self.days = days
            self.endDate = endDate
            self.seed = seed
            self.timeZone = timeZone
        }
    }

    /// What a run wrote, and how fast.
    public struct Report: Sendable, Hashable {
        public var outlets: Int
        public var records: Int
        public var scans: Int
        public var seconds: Double
        public var recordsPerSecond: Double { seconds > 0 ? Double(records) / seconds : 0 }
    }

    /// The database already holds outlets or records; `--force` replaces them.
    public struct NotEmptyError: Error, Sendable, CustomStringConvertible {
        public var outlets: Int
        public var records: Int
        public var description: String {
            "the database already holds \(outlets) outlets and \(records) records (use --force to replace them)"
        }
    }

    /// The database holds scans the generator did not write: a monitor's real history, which
    /// nothing here ever deletes, `--force` or not.
    public struct RealHistoryError: Error, Sendable, CustomStringConvertible {
        public var scans: Int
        public var description: String {
            "the database holds \(scans) scans that generate-history did not write: it is a real monitor's "
                + "database, and nothing is deleted (point DATABASE_URL at a database of its own)"
        }
    }

    /// `triggered_by` of the scans the generator writes, so its own history can be told apart.
    public static let trigger = "generate-history"

    public let database: MonitorDatabase
    public let options: Options

    public init(database: MonitorDatabase, options: Options) {
        self.database = database
        self.options = options
    }

    static let regions = ["North", "South", "East", "West", "Central", "Coast", "Highlands", "Metro"]
    static let cities = [
        "Harbour", "Riverside", "Old Town", "Market Square", "Station", "Hillside", "Lakeside", "Airport",
        "Mall", "University", "Bridge Street", "Parkway",
    ]
    /// Scan rows per INSERT, well under SQLite's and PostgreSQL's statement limits.
    static let rowsPerStatement = 500
    /// Rows per transaction: few enough commits to be fast, small enough to keep memory flat.
    static let rowsPerTransaction = 20_000

    /// Writes the history; `replace` first deletes existing outlets, records and scans.
    /// `progress` is told the records written so far after every transaction.
    public func run(replace: Bool, progress: @Sendable (Int) -> Void = { _ in }) async throws -> Report {
        let started = ContinuousClock.now
        try await prepare(replace: replace)
        if database.kind == .sqlite {
            // Records arrive day by day but the primary key orders them by outlet first, so each
            // batch touches pages all over the table; SQLite's default 2 MB page cache would
            // re-read them from the file for every batch.
            try await database.withSQL { sql in try await sql.raw("PRAGMA cache_size = -262144").run() }
        }
        var random = SplitMix64(seed: options.seed)
        let profiles = (0..<options.outlets).map { OutletProfile(index: $0, random: &random) }
        try await insertOutlets(profiles)

        var simulation = Simulation(profiles: profiles, options: options, random: random)
        let firstDay = options.endDate.adding(days: -(options.days - 1))
        var pending: [BackupRecord] = []
        var pendingScans: [String] = []
        var written = 0
        var scans = 0
        for offset in 0..<options.days {
            let day = firstDay.adding(days: offset)
            let dayRows = simulation.rows(for: day)
            pending += dayRows.records
            pendingScans += dayRows.scans
            scans += dayRows.scans.count
            if pending.count >= Self.rowsPerTransaction || offset == options.days - 1 {
                try await flush(records: pending, scans: pendingScans)
                written += pending.count
                progress(written)
                pending.removeAll(keepingCapacity: true)
                pendingScans.removeAll(keepingCapacity: true)
            }
        }
        if database.kind == .postgres {
            // A server that has been running for two years has had its tables vacuumed and analysed
            // by autovacuum long ago; doing it now gives the benchmark that steady state (visibility
            // map set for index-only scans, statistics for the planner) on every run.
            try await database.withSQL { sql in try await sql.raw("VACUUM ANALYZE").run() }
        }
        let elapsed = ContinuousClock.now - started
        return Report(
            outlets: options.outlets, records: written, scans: scans,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    private func prepare(replace: Bool) async throws {
        let (outlets, records) = try await database.withSQL { sql in
            let outlets =
                try await sql.raw("SELECT COUNT(*) AS n FROM outlets").first()?
                .decode(column: "n", as: Int.self) ?? 0
            let records =
                try await sql.raw("SELECT COUNT(*) AS n FROM backup_records").first()?
                .decode(column: "n", as: Int.self) ?? 0
            return (outlets, records)
        }
        let realScans = try await database.withSQL { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM scans WHERE triggered_by <> \(bind: Self.trigger)").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
        guard realScans == 0 else { throw RealHistoryError(scans: realScans) }
        guard outlets + records > 0 else { return }
        guard replace else { throw NotEmptyError(outlets: outlets, records: records) }
        try await database.transaction { sql in
            for table in ["backup_records", "scans", "outlets"] {
                try await sql.raw("DELETE FROM \(unsafeRaw: table)").run()
            }
        }
    }

    private func insertOutlets(_ profiles: [OutletProfile]) async throws {
        try await OutletRepository(database: database).save(
            profiles.map { profile in
                Outlet(
                    code: profile.code, host: profile.host, name: profile.name, region: profile.region,
                    lastIBStorageDrive: profile.ibShare)
            })
    }

    private func flush(records: [BackupRecord], scans: [String]) async throws {
        try await RecordRepository(database: database).save(records)
        try await database.transaction { sql in
            for chunk in scans.chunked(Self.rowsPerStatement) {
                try await sql.raw(
                    """
                    INSERT INTO scans (id, mode, scan_date, kind, triggered_by, state, total, succeeded, failed,
                        advanced, started_at, finished_at)
                    VALUES \(unsafeRaw: chunk.joined(separator: ","))
                    """
                ).run()
            }
        }
    }

    /// A SQL string literal. Every value here is made by this generator, but quoting stays
    /// correct for any text (both dialects double the quote mark).
    static func text(_ value: String?) -> String {
        guard let value else { return "NULL" }
        return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// What stays fixed about one outlet for the whole history.
struct OutletProfile: Sendable {
    var code: String
    var host: String
    var name: String
    var region: String
    /// Nightly failure probability: most outlets are reliable, a few are flaky, fewer are troubled.
    var failureRate: Double
    /// Size of the first backup in the history; it grows about 0.05 % a night.
    var baseSize: Double
    /// Minutes after midnight at which the nightly backup finishes.
    var backupMinute: Int
    /// `HHMM` of `backupMinute`, as the file names write it.
    var backupTime: String
    var driveLetter: String
    var ibShare: String

    init(index: Int, random: inout SplitMix64) {
        let number = index + 1
        code = String(format: "OUTLET%04d", number)
        host = "10.\(number / 65536 % 256).\(number / 256 % 256).\(number % 256)"
        region = HistoryGenerator.regions[random.below(HistoryGenerator.regions.count)]
        name = "\(region) \(HistoryGenerator.cities[random.below(HistoryGenerator.cities.count)]) \(number)"
        let tier = random.unit()
        failureRate = tier < 0.85 ? 0.008 : tier < 0.97 ? 0.05 : 0.2
        baseSize = exp(log(400e6) + random.unit() * (log(8e9) - log(400e6)))
        backupMinute = 60 + random.below(180)
        backupTime = String(format: "%02d%02d", backupMinute / 60, backupMinute % 60)
        driveLetter = ["E", "F", "G", "H", "I"][random.below(5)]
        ibShare = driveLetter.lowercased() + "$"
    }
}

/// Day-by-day state of the fleet: the last good file of each outlet and mode (what a failed
/// record still shows) and yesterday's failure (failures come in streaks).
struct Simulation {
    var profiles: [OutletProfile]
    var options: HistoryGenerator.Options
    var random: SplitMix64
    private var lastGood: [[LastFile?]]
    private var yesterday: [[FailureKind?]]

    struct LastFile {
        var name: String
        var size: Int64
        var at: Int64
        var day: CalendarDay
    }

    init(profiles: [OutletProfile], options: HistoryGenerator.Options, random: SplitMix64) {
        self.profiles = profiles
        self.options = options
        self.random = random
        lastGood = Array(repeating: Array(repeating: nil, count: profiles.count), count: ScanMode.allCases.count)
        yesterday = Array(repeating: Array(repeating: nil, count: profiles.count), count: ScanMode.allCases.count)
    }

    static let ddriveKinds: [(FailureKind, Int)] = [
        (.unreachable, 40), (.stale, 18), (.auth, 8), (.noBackup, 6), (.tooSmall, 6), (.folderMissing, 6),
        (.accessDenied, 4), (.shareMissing, 3), (.protocol, 3),
    ]
    static let ibstorageKinds: [(FailureKind, Int)] = [
        (.driveNotFound, 35), (.stale, 30), (.noBackup, 10), (.tooSmall, 8), (.accessDenied, 5), (.protocol, 2),
    ]

    /// The day's records (both modes) and its two scan rows, as SQL VALUES tuples.
    mutating func rows(for day: CalendarDay) -> (records: [BackupRecord], scans: [String]) {
        let dayText = day.description
        let start = Int64((day.start(in: options.timeZone).timeIntervalSince1970 * 1000).rounded())
        let compact = dayText.replacingOccurrences(of: "-", with: "")
        let dayIndex = options.endDate.adding(days: -(options.days - 1)).days(until: day)
        var records: [BackupRecord] = []
        records.reserveCapacity(profiles.count * 2)
        var scans: [String] = []
        var ddriveFailures: [FailureKind?] = Array(repeating: nil, count: profiles.count)
        for (modeIndex, mode) in ScanMode.allCases.enumerated() {
            let scanID = "gen-\(mode.rawValue)-\(dayText)"
            let scanStart = start + Int64((7 * 60 + 30 + modeIndex * 30) * 60_000)
            var elapsed: Int64 = 0
            var succeeded = 0
            for (index, profile) in profiles.enumerated() {
                var failure = failureKind(mode: mode, outlet: index, ddrive: ddriveFailures[index])
                // A folder that never held a good backup has nothing to be stale against.
                if failure == .stale && lastGood[modeIndex][index] == nil { failure = .noBackup }
                if mode == .ddrive { ddriveFailures[index] = failure }
                yesterday[modeIndex][index] = failure
                let growth = 1 + 0.0005 * Double(dayIndex)
                let size = Int64(profile.baseSize * growth * (0.97 + 0.06 * random.unit()))
                let at = start + Int64(profile.backupMinute * 60_000 + random.below(20 * 60_000))
                let extensionText = mode == .ddrive ? "bak" : "zip"
                let todaysFile = LastFile(
                    name: "\(profile.code)_FULL_\(compact)_\(profile.backupTime).\(extensionText)", size: size, at: at,
                    day: day)
                var duration = Int64(150 + random.below(900))
                var file: LastFile? = lastGood[modeIndex][index]
                var details: String?
                switch failure {
                case nil:
                    file = todaysFile
                    lastGood[modeIndex][index] = todaysFile
                    succeeded += 1
                case .unreachable:
                    duration = 5000 + Int64(random.below(50))
                    file = nil
                    details = "TCP connection to \(profile.host):445 timed out after 5 s."
                case .auth:
                    file = nil
                    details = "Logon failure (STATUS_LOGON_FAILURE): wrong user name or password."
                case .accessDenied:
                    file = nil
                    details = "Access denied (STATUS_ACCESS_DENIED) on \\\\\(profile.host)\\d$."
                case .shareMissing:
                    file = nil
                    details = "The share d$ does not exist (STATUS_BAD_NETWORK_NAME)."
                case .folderMissing:
                    file = nil
                    details = "The folder BackupFull does not exist on d$ (STATUS_OBJECT_NAME_NOT_FOUND)."
                case .driveNotFound:
                    file = nil
                    details = "IBSTORAGE drive not found: tried e$, f$, g$, h$, i$."
                case .protocol, .imported:
                    file = nil
                    details = "The server answered NEGOTIATE with STATUS_NOT_SUPPORTED."
                case .noBackup:
                    file = nil
                    details = "No file matching *.bak, *.zip, *.7z, *.rar, *.gz in the folder."
                case .tooSmall:
                    let small = LastFile(name: todaysFile.name, size: Int64(random.below(900_000)), at: at, day: day)
                    file = small
                    details =
                        "The backup dated \(dayText) (\(small.name)) is \(ByteCountText.format(UInt64(small.size))); "
                        + "at least 1.00 MB is expected."
                case .stale:
                    if let previous = file {
                        let age = previous.day.days(until: day)
                        details =
                            "No backup dated \(dayText); the newest before it is \(age) day\(age == 1 ? "" : "s") old "
                            + "(\(previous.name), \(previous.day))."
                    } else {
                        details = "No file matching *.bak, *.zip, *.7z, *.rar, *.gz in the folder."
                    }
                }
                elapsed = max(elapsed, duration)
                let advanced = failure == nil && random.below(2000) == 0
                let scannedAt = scanStart + Int64(index) * 3 + duration
                let status = failure == nil ? BackupStatus.success : .failed
                let drive = mode == .ibstorage && failure != .driveNotFound && failure != .unreachable
                records.append(
                    BackupRecord(
                        mode: mode, outletCode: profile.code, scanDate: day, status: status,
                        lastBackupAt: file.map { Date(timeIntervalSince1970: Double($0.at) / 1000) },
                        fileName: file?.name, fileSize: file.map { UInt64($0.size) }, duration: .milliseconds(duration),
                        failureKind: failure, errorDetails: details,
                        driveLetter: drive ? profile.driveLetter : nil, isAdvanced: advanced, scanID: scanID,
                        scannedAt: Date(timeIntervalSince1970: Double(scannedAt) / 1000)))
            }
            let finished = scanStart + Int64(profiles.count) * 3 + elapsed
            scans.append(
                "(\(HistoryGenerator.text(scanID)), \(HistoryGenerator.text(mode.rawValue)), "
                    + "\(HistoryGenerator.text(dayText)), 'full', '\(HistoryGenerator.trigger)', 'finished', \(profiles.count), "
                    + "\(succeeded), \(profiles.count - succeeded), 0, \(scanStart), \(finished))")
        }
        return (records, scans)
    }

    /// Tonight's failure of one outlet and mode, or nil for a good backup. A server that cannot
    /// be reached or refuses the login fails both checks the same way.
    private mutating func failureKind(mode: ScanMode, outlet: Int, ddrive: FailureKind?) -> FailureKind? {
        let modeIndex = mode == .ddrive ? 0 : 1
        if mode == .ibstorage, let ddrive, [.unreachable, .auth, .protocol].contains(ddrive) { return ddrive }
        if let previous = yesterday[modeIndex][outlet], random.unit() < 0.55 { return previous }
        guard random.unit() < profiles[outlet].failureRate else { return nil }
        let kinds = mode == .ddrive ? Self.ddriveKinds : Self.ibstorageKinds
        var pick = random.below(kinds.reduce(0) { $0 + $1.1 })
        for (kind, weight) in kinds {
            if pick < weight { return kind }
            pick -= weight
        }
        return kinds[0].0
    }
}

/// SplitMix64: a tiny, fast generator whose output depends only on the seed, so a history can
/// be rebuilt exactly (Foundation's generators are seeded by the system).
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A value in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

extension Array {
    fileprivate func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
