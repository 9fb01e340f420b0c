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
        let order = RecordSort(column: .date, descending: false)
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: line(header)))
            var offset = 0
            while true {
                let records = try await BackupsQuery.records(
                    database, filter: filter, sort: order, limit: batchSize, offset: offset)
                var chunk = ""
                for record in records { chunk += line(row(record, timeZone: timeZone)) }
                if !chunk.isEmpty { try await writer.write(ByteBuffer(string: chunk)) }
                guard records.count == batchSize else { break }
                offset += batchSize
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func row(_ record: BackupRecord, timeZone: TimeZone) -> [String] {
        let payload = LegacyRecordPayload(record, timeZone: timeZone)
        return [
            payload.outletServer, payload.scanDate, record.mode.rawValue, payload.status, payload.lastBackupTaken ?? "",
            payload.backupFile ?? "", payload.backupFileSize ?? "", record.fileSize.map(String.init) ?? "",
            String(format: "%.3f", payload.duration), payload.errorKind ?? "", payload.errorDetails ?? "",
            payload.driveLetter ?? "", payload.advancedDate ? "true" : "false",
        ]
    }

    static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",") + "\r\n"
    }

    static func cell(_ value: String) -> String { CSVCell.escape(value) }
}
