import Foundation

/// The daily per-mode log files of the original system (SPEC §12):
/// `logs/D_Drive_Backup_log_YYYY-MM-DD.log` and `logs/IB_Storage_Backup_log_YYYY-MM-DD.log`,
/// one line per outlet result and per scan. A new file starts each local day.
public actor ScanLogFile {
    private let directory: URL
    private let timeZone: TimeZone
    private var handles: [String: FileHandle] = [:]
    /// When a line is written: it names the file's day and stamps the line (tests fix it).
    private let now: @Sendable () -> Date

    public init(directory: String, timeZone: TimeZone, now: @escaping @Sendable () -> Date = { Date() }) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        self.timeZone = timeZone
        self.now = now
    }

    public static func fileName(mode: ScanMode, day: CalendarDay) -> String {
        switch mode {
        case .ddrive: "D_Drive_Backup_log_\(day).log"
        case .ibstorage: "IB_Storage_Backup_log_\(day).log"
        }
    }

    public func write(_ event: ScanEvent) {
        write([event])
    }

    /// Appends one line per event with one write per file: a scan's results arrive in batches,
    /// and a write (and a formatted timestamp) per line was a large share of a scan's CPU.
    public func write(_ events: [ScanEvent]) {
        let now = self.now()
        let stamp = timestamp(now)
        var lines: [ScanMode: String] = [:]
        for event in events {
            let (mode, line) = Self.line(for: event, stamp: stamp)
            lines[mode, default: ""] += line + "\n"
        }
        for (mode, text) in lines.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            append(text, mode: mode, now: now)
        }
    }

    private static func line(for event: ScanEvent, stamp: String) -> (ScanMode, String) {
        switch event {
        case .started(let started):
            return (
                started.mode,
                "\(stamp) SCAN START id=\(started.scanID) mode=\(started.mode.rawValue) date=\(started.day) "
                    + "outlets=\(started.total) kind=\(started.kind.rawValue) by=\(started.triggeredBy)"
            )
        case .outletFinished(let progress):
            var text = "\(stamp) \(line(for: progress.record))"
            if progress.pass > 1 { text += " pass=\(progress.pass)" }
            if let error = progress.notStored { text += " NOT-STORED error=\"\(error)\"" }
            return (progress.record.mode, text)
        case .retrying(let retrying):
            return (
                retrying.mode,
                "\(stamp) SCAN RETRY id=\(retrying.scanID) outlets=\(retrying.count) "
                    + "concurrency=\(retrying.concurrency)"
            )
        case .finished(let summary):
            let seconds = String(format: "%.2f", Double(summary.processingTime.milliseconds) / 1000)
            return (
                summary.mode,
                "\(stamp) SCAN END id=\(summary.scanID) mode=\(summary.mode.rawValue) date=\(summary.day) "
                    + "successful=\(summary.succeeded) failed=\(summary.failed) advanced=\(summary.advanced.count) "
                    + "seconds=\(seconds)" + (summary.notStored.isEmpty ? "" : " not-stored=\(summary.notStored.count)")
                    + (summary.retried == 0 ? "" : " retried=\(summary.retried) recovered=\(summary.recovered)")
                    + (summary.degradation.map { " DEGRADED \"\($0.sentence)\"" } ?? "")
            )
        }
    }

    public func close() {
        for handle in handles.values { try? handle.close() }
        handles = [:]
    }

    static func line(for record: BackupRecord) -> String {
        var parts = [record.outletCode, record.status == .success ? "SUCCESS" : "FAILED"]
        if let kind = record.failureKind { parts.append("reason=\(kind.rawValue)") }
        if let drive = record.driveLetter { parts.append("drive=\(drive)") }
        if let file = record.fileName { parts.append("file=\"\(file)\"") }
        if let size = record.fileSizeText { parts.append("size=\"\(size)\"") }
        if let details = record.errorDetails { parts.append("details=\"\(details)\"") }
        parts.append("duration=\(secondsText(milliseconds: record.duration.milliseconds))s")
        return parts.joined(separator: " ")
    }

    /// `1.234` for 1234 ms (what `%.3f` printed, without a format string parsed per line).
    static func secondsText(milliseconds: Int64) -> String {
        let fraction = String(milliseconds.magnitude % 1000)
        let sign = milliseconds < 0 ? "-" : ""
        return "\(sign)\(milliseconds.magnitude / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Made once: creating an ISO8601DateFormatter (an ICU formatter) costs far more than using one.
    private lazy var formatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        return formatter
    }()

    private func timestamp(_ date: Date) -> String {
        formatter.string(from: date)
    }

    /// Logging must never break a scan: a file that cannot be written is skipped.
    private func append(_ text: String, mode: ScanMode, now: Date) {
        let name = Self.fileName(mode: mode, day: CalendarDay(containing: now, in: timeZone))
        guard let handle = handle(for: name) else { return }
        try? handle.write(contentsOf: Data(text.utf8))
    }

    private func handle(for name: String) -> FileHandle? {
        if let handle = handles[name] { return handle }
        // A new day's file: close yesterday's handles of the same mode.
        let prefix = String(name.prefix { !$0.isNumber })
        for (old, handle) in handles where old.hasPrefix(prefix) {
            try? handle.close()
            handles[old] = nil
        }
        let url = directory.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: url.path) {
                _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            handles[name] = handle
            return handle
        } catch {
            return nil
        }
    }
}
