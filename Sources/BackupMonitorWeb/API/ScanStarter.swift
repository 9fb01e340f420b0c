import BackupMonitor
import Foundation

/// Starts (or joins) scans for the API and turns the coordinator's refusals into 4xx answers.
struct ScanStarter {
    let dependencies: AppDependencies

    func start(_ request: ScanRequest) async throws -> ScanCoordinator.Subscription {
        do {
            return try await dependencies.coordinator.start(request)
        } catch {
            throw Self.apiError(error)
        }
    }

    func run(_ request: ScanRequest) async throws -> ScanSummary {
        do {
            return try await dependencies.coordinator.run(request)
        } catch {
            throw Self.apiError(error)
        }
    }

    /// Checks the codes exist before anything starts: a running scan would otherwise be joined
    /// without the codes ever being looked at.
    func checkKnown(_ codes: [String]) async throws {
        do {
            _ = try await dependencies.outlets.outlets(codes: codes)
        } catch {
            throw Self.apiError(error)
        }
    }

    /// The scan date of a request: `scan_date`, else today; a day after today cannot be judged.
    func day(_ requested: CalendarDay?, parameter: String) throws -> CalendarDay {
        let today = dependencies.today
        guard let requested else { return today }
        guard requested <= today.adding(days: 1) else {
            throw APIError.badRequest("\(parameter) \(requested) is in the future", parameter: parameter)
        }
        return requested
    }

    static func apiError(_ error: any Error) -> any Error {
        switch error {
        case let unknown as UnknownOutletsError:
            return APIError(.badRequest, unknown.description, parameter: "outlets", details: ["unknown": unknown.codes])
        case let configuration as ConfigurationError:
            return APIError(.conflict, "the server cannot scan: \(configuration)", parameter: configuration.variable)
        default:
            return error
        }
    }

    static func triggeredBy(_ context: MonitorRequestContext) -> String {
        guard let principal = context.principal else { return "api" }
        switch principal.credential {
        case .session: return "user:\(principal.user.username)"
        case .token(let token): return "token:\(principal.user.username)/\(token.name)"
        }
    }
}
