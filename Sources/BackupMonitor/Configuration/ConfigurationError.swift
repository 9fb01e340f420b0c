/// Invalid configuration: start-up stops with a message that names the variable (SPEC §9).
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var variable: String
    public var problem: String

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "invalid configuration: \(variable): \(problem)" }
}
