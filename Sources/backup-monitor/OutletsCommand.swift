import ArgumentParser
import BackupMonitor
import Foundation

struct OutletsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outlets", abstract: "Lists outlets or imports them from CSV.",
        subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Imports outlets from a CSV file: all rows or, if any row is bad, none.",
            discussion: """
                Header (any order): code (required; OutletServer also accepted), host, port, name, region,
                enabled, share, folder. Existing outlets with the same code are updated. Every row is
                checked by the same rules as the web UI and the API; problems are printed with their
                line numbers and the command exits 2 without importing anything.
                """)

        @Argument(help: "The CSV file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else {
                CommandOutput.error("cannot read \(file) as UTF-8 text")
                throw ExitCode(2)
            }
            let outlets = try await CommandContext.run(label: "backup-monitor.outlets") { context in
                try await OutletAdministration(
                    database: context.database, credentials: SecretsCommand.credentials(context)
                ).importCSV(text)
            }
            print("imported \(outlets.count) outlet\(outlets.count == 1 ? "" : "s") from \(file)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prints every outlet.")

        @Option(help: "table or csv.") var format: ListFormat = .table

        enum ListFormat: String, ExpressibleByArgument, CaseIterable {
            case table
            case csv
        }

        func run() async throws {
            let outlets = try await CommandContext.run(label: "backup-monitor.outlets") { context in
                try await OutletRepository(database: context.database).all()
            }
            let rows = outlets.map { outlet in
                [
                    outlet.code, outlet.host, String(outlet.port), outlet.name, outlet.region,
                    outlet.enabled ? "yes" : "no", outlet.lastIBStorageDrive ?? "",
                ]
            }
            let header = ["CODE", "HOST", "PORT", "NAME", "REGION", "ENABLED", "IB DRIVE"]
            switch format {
            case .table: print(TextTable.render(header: header, rows: rows), terminator: "")
            case .csv: print(CSVText.render(header: header.map { $0.lowercased() }, rows: rows), terminator: "")
            }
        }
    }
}
