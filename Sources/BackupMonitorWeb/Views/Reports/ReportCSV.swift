import BackupMonitor
import Foundation
import Hummingbird

/// The CSV export of any range (SPEC §8), streamed: rows are written as they are read, a page
/// of records at a time, so a year of 1000 outlets never sits in memory. Cells that a
/// spreadsheet would run as a formula are defused.
enum ReportCSV {
    static let header = [
        "OutletServer", "ScanDate", "Mode", "Status", "LastBackupTaken", "BackupFile", "BackupFileSize",
        "BackupFileBytes", "Duration", "ErrorKind", "ErrorDetails", "DriveLetter", "AdvancedDate",
    ]

    static let batchSize = 1000

    static func response(filter: RecordFilter, database: MonitorDatabase, timeZone: TimeZone) -> Response {
        var name = "backups-\(filter.mode.rawValue)"
        if let from = filter.from { name += "-from-\(from)" }
        if let to = filter.to { name += "-to-\(to)" }
        let headers: HTTPFields = [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: "attachment; filename=\"\(name).csv\"",
        ]
        let repository = RecordRepository(database: database)
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: line(header)))
            var days = DayText()
            // The next batch is read while this one is written: the database (or SQLite's
            // thread) and the CSV writer use both cores, and at most two batches are in memory.
            var next: Task<[BackupRecord], any Error>? = Task {
                try await repository.records(matching: filter, after: nil, limit: batchSize)
            }
            defer { next?.cancel() }
            while let pending = next {
                let records = try await pending.value
                next = nil
                if records.count == batchSize, let last = records.last {
                    let cursor = RecordCursor(after: last)
                    next = Task { try await repository.records(matching: filter, after: cursor, limit: batchSize) }
                }
                guard !records.isEmpty else { break }
                var chunk = ""
                chunk.reserveCapacity(records.count * 200)
                for record in records { append(record, timeZone: timeZone, days: &days, to: &chunk) }
                try await writer.write(ByteBuffer(string: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One CSV line of `record`, written into `text` cell by cell (no array of cells per row),
    /// with the values `LegacyRecordPayload` gives the API. Only the cells that can hold text
    /// from outside (codes, file names, details, drive letters) go through the CSV escaper; the
    /// others are dates, numbers and names of our own. `days` caches the day's text, which
    /// 1000 rows in a row share.
    static func append(_ record: BackupRecord, timeZone: TimeZone, days: inout DayText, to text: inout String) {
        text += cell(record.outletCode)
        text += ","
        text += days.text(record.scanDate)
        text += ","
        text += record.mode.rawValue
        text += record.status == .success ? ",Success," : ",Failed,"
        if let at = record.lastBackupAt { text += ISO8601Text.format(at, timeZone: timeZone) }
        text += ","
        if let name = record.fileName { text += cell(name) }
        text += ","
        if let size = record.fileSize {
            text += ByteCountText.format(size)
            text += ","
            text += String(size)
        } else {
            text += ","
        }
        text += ","
        text += seconds(record.duration.milliseconds)
        text += ","
        text += record.failureKind?.rawValue ?? ""
        text += ","
        if let details = record.errorDetails { text += cell(details) }
        text += ","
        if let drive = record.driveLetter { text += cell(drive) }
        text += record.isAdvanced ? ",true\r\n" : ",false\r\n"
    }

    /// `YYYY-MM-DD` of the last day seen.
    struct DayText {
        private var day: CalendarDay?
        private var cached = ""

        mutating func text(_ next: CalendarDay) -> String {
            if next != day {
                day = next
                cached = next.description
            }
            return cached
        }
    }

    /// Milliseconds as seconds with three decimals (`1.042`), as `%.3f` would write them.
    static func seconds(_ milliseconds: Int64) -> String {
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    static func cell(_ value: String) -> String { CSVCell.escape(value) }
}
