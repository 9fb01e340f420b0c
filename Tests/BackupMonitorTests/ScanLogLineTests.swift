import Foundation
import Testing

@testable import BackupMonitor

@Suite("Scan log file lines")
struct ScanLogLineTests {
    @Test(arguments: [(0, "0.000"), (7, "0.007"), (42, "0.042"), (1234, "1.234"), (60_000, "60.000"), (-5, "-0.005")])
    func secondsKeepThreeDecimals(milliseconds: Int64, text: String) {
        #expect(ScanLogFile.secondsText(milliseconds: milliseconds) == text)
        if milliseconds >= 0 {
            // What the line printed before it stopped parsing a format string per line.
            #expect(text == String(format: "%.3f", Double(milliseconds) / 1000))
        }
    }

    @Test func aBatchIsWrittenAsOneLinePerEventInOrder() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bm-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let timeZone = TimeZone(identifier: "UTC")!
        // The last day of a month, written at its last second: the file is still that day's.
        let day = CalendarDay("2026-03-31")!
        let log = ScanLogFile(directory: directory.path, timeZone: timeZone) {
            day.start(in: timeZone).addingTimeInterval(86399)
        }
        let records = ["OUT1", "OUT2"].map { code in
            BackupRecord(
                mode: .ddrive, outletCode: code, scanDate: day, status: .failed, duration: .milliseconds(1500),
                failureKind: .unreachable, errorDetails: "Cannot connect",
                scannedAt: day.start(in: timeZone).addingTimeInterval(3600))
        }
        await log.write(
            records.enumerated().map { index, record in
                .outletFinished(
                    OutletProgress(
                        scanID: "s", record: record, done: index + 1, total: 2, succeeded: 0, failed: index + 1))
            })
        await log.close()
        let text = try String(
            contentsOf: directory.appendingPathComponent(ScanLogFile.fileName(mode: .ddrive, day: day)), encoding: .utf8
        )
        let lines = text.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1)[1] }
        #expect(
            lines == [
                "OUT1 FAILED reason=unreachable details=\"Cannot connect\" duration=1.500s",
                "OUT2 FAILED reason=unreachable details=\"Cannot connect\" duration=1.500s",
            ])
    }
}
