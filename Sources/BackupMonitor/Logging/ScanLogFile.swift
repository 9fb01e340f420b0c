import Foundation

/// The daily per-mode log files of the original system (SPEC §12):
/// `logs/D_Drive_Backup_log_YYYY-MM-DD.log` and `logs/IB_Storage_Backup_log_YYYY-MM-DD.log`,
/// one line per outlet result and per scan. A new file starts each local day.
public actor ScanLogFile {
    private let directory: URL
    private let timeZone: TimeZone
    private var handles: [String: FileHandle] = [:]

    public init(directory: String, timeZone: TimeZone) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        self.timeZone = timeZone
    }

    public static func fileName(mode: ScanMode, day: CalendarDay) -> String {
        switch mode {
        case .ddrive: "D_Drive_Backup_log_\(day).log"
        case .ibstorage: "IB_Storage_Backup_log_\(day).log"
        }
    }

    public func write(_ event: ScanEvent) {
        let now = Date()
        switch event {
        case .started(let started):
            append(
                "\(timestamp(now)) SCAN START id=\(started.scanID) mode=\(started.mode.rawValue) date=\(started.day) "
                    + "outlets=\(started.total) kind=\(started.kind.rawValue) by=\(started.triggeredBy)",
                mode: started.mode, now: now)
        case .outletFinished(let progress):
            append("\(timestamp(now)) \(Self.line(for: progress.record))", mode: progress.record.mode, now: now)
        case .finished(let summary):
            let seconds = String(format: "%.2f", Double(summary.processingTime.milliseconds) / 1000)
            append(
                "\(timestamp(now)) SCAN END id=\(summary.scanID) mode=\(summary.mode.rawValue) date=\(summary.day) "
                    + "successful=\(summary.succeeded) failed=\(summary.failed) advanced=\(summary.advanced.count) "
                    + "seconds=\(seconds)",
                mode: summary.mode, now: now)
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
        parts.append("duration=\(String(format: "%.3f", Double(record.duration.milliseconds) / 1000))s")
        return parts.joined(separator: " ")
    }

    private func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        return formatter.string(from: date)
    }

    /// Logging must never break a scan: a file that cannot be written is skipped.
    private func append(_ line: String, mode: ScanMode, now: Date) {
        let name = Self.fileName(mode: mode, day: CalendarDay(containing: now, in: timeZone))
        guard let handle = handle(for: name) else { return }
        try? handle.write(contentsOf: Data((line + "\n").utf8))
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
