import Foundation
import Testing

@testable import BackupMonitor

/// The CLI reaches the same use cases as the web: `outlets import` used to store names the web
/// refused (an ESC byte), and now refuses them with the line number.
@Suite("Command-line adapters")
struct CommandLineAdapterTests {
    static func run(_ arguments: [String], in directory: URL, stdin: String? = nil) throws -> (
        status: Int32, output: String, errors: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ScanCrashRecoveryTests.binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = [
            "DATABASE_URL": "sqlite:" + directory.appendingPathComponent("monitor.sqlite").path, "TZ": "UTC",
            "LOG_DIR": directory.appendingPathComponent("logs").path,
        ]
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outputText = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, outputText, errorText)
    }

    @Test func outletsImportRefusesAControlCharacterWithItsLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("outlets.csv")
        try Data("code,name\nOUT1,ok\nOUT2,bad\u{1B}name\n".utf8).write(to: csv)
        let refused = try Self.run(["outlets", "import", csv.path], in: directory)
        #expect(refused.status == 2)
        #expect(refused.errors.contains("line 3: name: control characters are not allowed"), "\(refused.errors)")
        let listed = try Self.run(["outlets", "list", "--format", "csv"], in: directory)
        #expect(listed.status == 0)
        #expect(!listed.output.contains("OUT1"))

        try Data("code,name\nOUT1,ok\n".utf8).write(to: csv)
        #expect(try Self.run(["outlets", "import", csv.path], in: directory).status == 0)
        #expect(try Self.run(["outlets", "list", "--format", "csv"], in: directory).output.contains("OUT1"))
    }

    @Test func theLastAdminStaysOnTheCommandLineToo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(
            try Self.run(["users", "add", "root", "--role", "admin"], in: directory, stdin: "a long password\n").status
                == 0)
        let demoted = try Self.run(["users", "role", "root", "viewer"], in: directory)
        #expect(demoted.status == 2)
        #expect(demoted.errors.contains("root is the last admin and cannot be demoted"), "\(demoted.errors)")
        let deleted = try Self.run(["users", "delete", "root"], in: directory)
        #expect(deleted.status == 2)
        #expect(try Self.run(["users", "list"], in: directory).output.contains(#/root +admin/#))
    }
}
