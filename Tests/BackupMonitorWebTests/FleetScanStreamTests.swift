import BackupMonitor
import BackupMonitorTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import BackupMonitorWeb

/// A real scan of the Samba fleet followed over HTTP with curl, as an operator's script would:
/// every outlet's progress event arrives, and the final summary agrees with the fleet's manifest.
@Suite("SSE scan stream against the Samba fleet", .enabled(if: FleetManifest.isAvailable), .serialized)
struct FleetScanStreamTests {
    @Test(arguments: ScanMode.allCases)
    func followingTheScanStreamEndsWithTheManifestsSummary(_ mode: ScanMode) async throws {
        let manifest = try FleetManifest.load()
        try await TestApp.with(configure: TestApp.fleetConfiguration(manifest)) { app in
            try await app.dependencies.outlets.save(manifest.domainOutlets)
            let application = Application(
                router: buildRouter(app.dependencies), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                logger: TestApp.logger)
            let token = try #require(app.tokens[.operator])
            let day = manifest.pastDate
            let path = mode == .ddrive ? "backup-status" : "ibstorage-status"
            let output = try await application.test(.live) { client in
                let port = try #require(client.port)
                return try await Curl.run([
                    "-sS", "-N", "--max-time", "600", "-H", "Authorization: Bearer \(token)",
                    "http://127.0.0.1:\(port)/api/v1/\(path)/scan?scan_date=\(day)",
                ])
            }
            let events = SSE.events(output)
            let total = manifest.outlets.count
            #expect(events.first?.data["type"] as? String == "started")
            #expect(events.first?.data["total"] as? Int == total)
            // The fleet's tarpits time out, so a second pass follows the first: ids run on
            // without a gap through its announcement and its outlets to the end.
            let progress = events.filter { $0.data["type"] as? String == "progress" }
            let firstPass = progress.filter { $0.data["pass"] as? Int ?? 1 == 1 }
            let secondPass = progress.filter { $0.data["pass"] as? Int == 2 }
            #expect(firstPass.map { $0.data["done"] as? Int } == (1...total).map { Optional($0) })
            let retried = secondPass.count
            #expect(secondPass.map { $0.data["done"] as? Int } == (0..<retried).map { Optional($0 + 1) })
            let last = ScanSequence.end(total: total, retried: retried)
            #expect(events.map(\.id) == Array(0...last).map { Optional($0) })
            let summary = try #require(events.last?.data)
            #expect(summary["type"] as? String == "complete")
            #expect(summary["count"] as? Int == total)
            #expect(summary["retriedCount"] as? Int == retried)
            let records = try #require(summary["data"] as? [[String: Any]])
            let byCode = Dictionary(
                records.map { ($0["OutletServer"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            var mismatches: [String] = []
            let dayValue = try #require(CalendarDay(day))
            for outlet in manifest.outlets {
                guard let want = outlet.expected(mode, dayValue) else { continue }
                guard let got = byCode[outlet.code] else {
                    mismatches.append("\(outlet.code): missing")
                    continue
                }
                let status = got["Status"] as? String == "Successful" ? "success" : "failed"
                let fields: [(String, String?, String?)] = [
                    ("status", status, want.status), ("errorKind", got["errorKind"] as? String, want.errorKind),
                    ("file", got["BackupFile"] as? String, want.file),
                    ("size", (got["BackupFileBytes"] as? Int).map(String.init), want.size.map(String.init)),
                    ("drive", got["DriveLetter"] as? String, want.driveLetter),
                    ("advanced", String(got["advancedDate"] as? Bool ?? false), String(want.advancedDate)),
                ]
                let wrong = fields.filter { $0.1 != $0.2 }.map {
                    "\($0.0): got \($0.1 ?? "nil"), want \($0.2 ?? "nil")"
                }
                if !wrong.isEmpty {
                    mismatches.append(
                        "\(outlet.code) \(wrong.joined(separator: ", ")); \(got["ErrorDetails"] as? String ?? "")")
                }
            }
            let report = mismatches.prefix(10).joined(separator: "\n")
            #expect(mismatches.count == 0, "\(mismatches.count) outlets differ from the manifest:\n\(report)")
            let advanced = manifest.outlets.filter { $0.expected(mode, dayValue)?.advancedDate == true }.count
            #expect(summary["advancedDateCount"] as? Int == advanced)
            let failed = manifest.outlets.filter { $0.expected(mode, dayValue)?.status == "failed" }.count
            #expect(summary["failedCount"] as? Int == failed)
        }
    }
}

/// Runs curl and returns what it printed.
enum Curl {
    static func run(_ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
                return
            }
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
    }
}
