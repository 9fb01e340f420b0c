import BackupMonitor
import Foundation

/// Every page and form target of the web UI, so links are built one way and cannot drift
/// from the routes (`PagesController` registers the same paths).
enum SiteURL: Sendable, Hashable {
    case login
    case logout
    case dashboard
    case startScan
    case backups
    case resync
    case servers
    case outlet(String)
    case reports
    case reportExport
    case settings
    case settingsOutlets
    case settingsOutlet(String)
    case settingsOutletEnabled(String)
    case settingsImport
    case settingsUsers
    case settingsUserRole(String)
    case settingsUserDelete(String)
    case settingsTokens
    case settingsTokenRevoke(String)
    case stylesheet
    case script

    var path: String {
        switch self {
        case .login: "/login"
        case .logout: "/logout"
        case .dashboard: "/"
        case .startScan: "/scan"
        case .backups: "/backups"
        case .resync: "/backups/resync"
        case .servers: "/servers"
        case .outlet(let code): "/servers/\(Self.segment(code))"
        case .reports: "/reports"
        case .reportExport: "/reports/export.csv"
        case .settings: "/settings"
        case .settingsOutlets: "/settings/outlets"
        case .settingsOutlet(let code): "/settings/outlets/\(Self.segment(code))"
        case .settingsOutletEnabled(let code): "/settings/outlets/\(Self.segment(code))/enabled"
        case .settingsImport: "/settings/outlets/import"
        case .settingsUsers: "/settings/users"
        case .settingsUserRole(let name): "/settings/users/\(Self.segment(name))/role"
        case .settingsUserDelete(let name): "/settings/users/\(Self.segment(name))/delete"
        case .settingsTokens: "/settings/tokens"
        case .settingsTokenRevoke(let id): "/settings/tokens/\(Self.segment(id))/revoke"
        case .stylesheet: "/assets/app.css"
        case .script: "/assets/app.js"
        }
    }

    /// The path with a query; empty values are left out so links stay short.
    func with(_ query: [(String, String?)]) -> String {
        let pairs = query.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return "\(Self.component(name))=\(Self.component(value))"
        }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    private static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? text
    }

    static func component(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
