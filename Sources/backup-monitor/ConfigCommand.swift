import ArgumentParser
import BackupMonitor

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Validates the configuration and prints every variable (secrets masked).")

    func run() async throws {
        let configuration = try await CommandContext.loadConfiguration()
        let width = ConfigurationVariable.all.map(\.name.count).max() ?? 0
        for (variable, value) in configuration.effectiveValues {
            let name = variable.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print(
                "\(name)  \(value.isEmpty ? "(unset)" : value)\n\(String(repeating: " ", count: width))  # \(variable.help)"
            )
        }
    }
}
