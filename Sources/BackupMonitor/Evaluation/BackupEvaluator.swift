import Foundation

/// What the evaluation decided for one listing (SPEC §4).
public struct BackupVerdict: Sendable, Hashable {
    public var status: BackupStatus
    public var failureKind: FailureKind?
    /// A sentence for people; nil on success.
    public var details: String?
    /// The file the record names: the newest good backup dated `D` on success, otherwise the
    /// newest backup file seen (nil when there is none).
    public var file: RemoteFile?
    /// The newest backup is later than the end of `D` (a back-dated scan, or a clock ahead).
    public var isAdvanced: Bool
}

/// The rules that turn a folder listing into the day's verdict: a pure function of the
/// listing, the scan date, the time zone, the patterns and the minimum size.
public struct BackupEvaluator: Sendable {
    public var timeZone: TimeZone
    public var patterns: BackupPatterns
    public var minimumBytes: UInt64

    public init(timeZone: TimeZone, patterns: BackupPatterns = .default, minimumBytes: UInt64 = 1_048_576) {
        self.timeZone = timeZone
        self.patterns = patterns
        self.minimumBytes = minimumBytes
    }

    public func evaluate(_ listing: [RemoteFile], on day: CalendarDay) -> BackupVerdict {
        let backups = listing.filter { !$0.isDirectory && patterns.matches($0.name) }
        let newest = backups.max(by: Self.olderThan)
        guard let newest else {
            return failure(.noBackup, "No file matching \(patterns) in the folder.", file: nil, isAdvanced: false)
        }
        let start = day.start(in: timeZone)
        let end = day.end(in: timeZone)
        let isAdvanced = newest.lastWriteTime >= end
        let onDay = backups.filter { $0.lastWriteTime >= start && $0.lastWriteTime < end }

        if let good = onDay.filter({ $0.size >= minimumBytes }).max(by: Self.olderThan) {
            return BackupVerdict(status: .success, failureKind: nil, details: nil, file: good, isAdvanced: isAdvanced)
        }
        if let small = onDay.max(by: Self.olderThan) {
            let sentence =
                "The backup dated \(day) (\(small.name)) is \(Self.size(small.size, beside: minimumBytes)); "
                + "at least \(Self.size(minimumBytes, beside: small.size)) is expected."
            return failure(.tooSmall, sentence, file: newest, isAdvanced: isAdvanced)
        }
        if let before = backups.filter({ $0.lastWriteTime < start }).max(by: Self.olderThan) {
            let age = CalendarDay(containing: before.lastWriteTime, in: timeZone).days(until: day)
            let sentence =
                "No backup dated \(day); the newest before it is \(age) day\(age == 1 ? "" : "s") old "
                + "(\(before.name), \(CalendarDay(containing: before.lastWriteTime, in: timeZone)))."
            return failure(.stale, sentence, file: newest, isAdvanced: isAdvanced)
        }
        let sentence =
            "No backup dated \(day) or earlier; the newest (\(newest.name)) is dated "
            + "\(CalendarDay(containing: newest.lastWriteTime, in: timeZone)), after the scan date."
        return failure(.noBackup, sentence, file: newest, isAdvanced: isAdvanced)
    }

    private func failure(_ kind: FailureKind, _ details: String, file: RemoteFile?, isAdvanced: Bool) -> BackupVerdict {
        BackupVerdict(status: .failed, failureKind: kind, details: details, file: file, isAdvanced: isAdvanced)
    }

    /// Orders by time, then by name so that equal times give the same answer on every run.
    private static func olderThan(_ a: RemoteFile, _ b: RemoteFile) -> Bool {
        (a.lastWriteTime, a.name) < (b.lastWriteTime, b.name)
    }

    /// A size as people read it, with the exact bytes when rounding would make the two sizes
    /// compared look alike (1048575 bytes is "1024.00 KB", 1 MiB "1.00 MB").
    static func size(_ bytes: UInt64, beside other: UInt64) -> String {
        let text = ByteCountText.format(bytes)
        let close = bytes != other && max(bytes, other) - min(bytes, other) < max(bytes, other) / 100 + 1
        return close ? "\(text) (\(bytes) bytes)" : text
    }

}
