import Foundation

/// One row of the original system's `D_Drive_Backup_Stat` / `IB_Storage_Backup_Stat` as an
/// export gives it (SPEC §13), turned into a record: `OutletServer, ScanDate, Status,
/// LastBackupTaken, BackupFile, BackupFileSize, Duration, ErrorDetails[, DriveLetter]`.
///
/// `DATETIME` has no zone: it is read in `TZ`. `BackupFileSize` is text (`2.45 GB`): kept as
/// it was, with approximate bytes. `ErrorDetails` is free text: the error kind is inferred
/// where a sentence clearly says it, otherwise it is `imported`.
struct LegacyHistoryRow {
    static let columns = [
        "outletserver", "scandate", "status", "lastbackuptaken", "backupfile", "backupfilesize", "duration",
        "errordetails", "driveletter",
    ]

    /// Where each column is in a record: by the header, or by the original order without one.
    struct Layout {
        var positions: [String: Int]
        var count: Int
        /// Unquoted exports (SSMS, bcp, sqlcmd) cannot escape a comma in `ErrorDetails`: extra
        /// fields of such a row are that text's pieces, joined back.
        var details: Int? { positions["errordetails"] }

        static func positional(_ count: Int) -> Layout {
            let names = Array(LegacyHistoryRow.columns.prefix(count == 9 ? 9 : 8))
            return Layout(
                positions: Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) }), count: names.count)
        }
    }

    struct Problem: Error { var message: String }

    /// The values of `record` by column, with a surplus of unquoted fields joined into ErrorDetails.
    static func values(_ record: LegacyCSVStream.Record, _ layout: Layout) throws(Problem) -> [String: String?] {
        var fields = record.fields
        var quoted = record.quoted
        if fields.count > layout.count, let details = layout.details, !quoted.contains(true) {
            let surplus = fields.count - layout.count
            let joined = fields[details...(details + surplus)].joined(separator: ",")
            fields.replaceSubrange(details...(details + surplus), with: [joined])
            quoted.replaceSubrange(details...(details + surplus), with: [false])
        }
        guard fields.count == layout.count else {
            throw Problem(message: "\(fields.count) fields where \(layout.count) are expected")
        }
        var values: [String: String?] = [:]
        for (name, index) in layout.positions {
            let text = fields[index].trimmingCharacters(in: .whitespaces)
            values[name] = (text.isEmpty || (text == "NULL" && !quoted[index])) ? .some(nil) : text
        }
        return values
    }

    static func record(
        _ values: [String: String?], mode: ScanMode, timeZone: TimeZone
    ) throws(Problem) -> BackupRecord {
        func value(_ name: String) -> String? { values[name] ?? nil }
        guard let code = value("outletserver") else { throw Problem(message: "OutletServer is empty") }
        if let problem = Outlet(code: code).validationProblems.first(where: { $0.field == "code" }) {
            throw Problem(message: "OutletServer: \(problem.description)")
        }
        guard let dayText = value("scandate"), let day = CalendarDay(dayText.prefix(10)) else {
            throw Problem(message: "ScanDate: '\(value("scandate") ?? "")' is not a date (YYYY-MM-DD)")
        }
        let status: BackupStatus
        switch value("status")?.lowercased() {
        case "successful", "success": status = .success
        case "failed", "failure": status = .failed
        default: throw Problem(message: "Status: '\(value("status") ?? "")' is neither Successful nor Failed")
        }
        var lastBackup: Date?
        if let text = value("lastbackuptaken") {
            guard let date = LegacyDateTime.parse(text, timeZone: timeZone) else {
                throw Problem(message: "LastBackupTaken: '\(text)' is not a date and time (YYYY-MM-DD HH:MM:SS)")
            }
            lastBackup = date
        }
        var bytes: UInt64?
        let sizeText = value("backupfilesize")
        if let sizeText {
            guard let parsed = ByteCountText.approximateBytes(sizeText) else {
                throw Problem(message: "BackupFileSize: '\(sizeText)' is not a size such as 2.45 GB")
            }
            bytes = parsed
        }
        var duration: Duration = .zero
        if let text = value("duration") {
            guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds < 86_400 else {
                throw Problem(message: "Duration: '\(text)' is not a number of seconds")
            }
            duration = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        let details = value("errordetails")
        var record = BackupRecord(
            mode: mode, outletCode: code, scanDate: day, status: status, lastBackupAt: lastBackup,
            fileName: value("backupfile"), fileSize: bytes, duration: duration,
            failureKind: status == .failed ? LegacyFailureKind.infer(details) : nil, errorDetails: details,
            driveLetter: mode == .ibstorage ? value("driveletter") : nil,
            isAdvanced: lastBackup.map { $0 >= day.end(in: timeZone) } ?? false, scanID: nil,
            // The original kept no scan time: the day's start stands for it.
            scannedAt: day.start(in: timeZone))
        record.isImported = true
        record.importedSizeText = sizeText
        return record
    }
}

/// `2026-02-21 02:00:00.000`, `2026-02-21T02:00:00`, `2026-02-21 02:00`: a zone-less DATETIME
/// read in the monitor's zone, cut to the second.
enum LegacyDateTime {
    static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, CalendarDay(text.prefix(10)) != nil, bytes[10] == 0x20 || bytes[10] == 0x54
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes[13] == 0x3A, let hour = number(11..<13), let minute = number(14..<16), hour < 24, minute < 60
        else { return nil }
        var second = 0
        if bytes.count >= 19 {
            guard bytes[16] == 0x3A, let value = number(17..<19), value < 60 else { return nil }
            second = value
            if bytes.count > 19 {
                // Fractions of a second are dropped, never rounded up (SPEC §4).
                guard bytes[19] == 0x2E, bytes[20...].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            }
        } else if bytes.count != 16 {
            return nil
        }
        var components = DateComponents()
        components.year = Int(text.prefix(4))
        components.month = Int(text.dropFirst(5).prefix(2))
        components.day = Int(text.dropFirst(8).prefix(2))
        components.hour = hour
        components.minute = minute
        components.second = second
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: components)
    }
}

/// The error kind an original `ErrorDetails` sentence clearly names, else `imported`.
enum LegacyFailureKind {
    static func infer(_ details: String?) -> FailureKind {
        guard let text = details?.lowercased() else { return .imported }
        let rules: [(FailureKind, [String])] = [
            (.auth, ["logon failure", "status_logon_failure", "password is incorrect", "user name or password"]),
            (.accessDenied, ["access is denied", "access denied", "status_access_denied"]),
            (.shareMissing, ["network name cannot be found", "bad_network_name", "share not found"]),
            (
                .folderMissing,
                ["cannot find the path", "path not found", "object_path_not_found", "no such file or directory"]
            ),
            (.unreachable, ["timed out", "timeout", "time out", "unreachable", "connection refused", "no route"]),
            (.noBackup, ["no backup file", "no backup found", "no files found"]),
        ]
        for (kind, phrases) in rules where phrases.contains(where: text.contains) { return kind }
        return .imported
    }
}
