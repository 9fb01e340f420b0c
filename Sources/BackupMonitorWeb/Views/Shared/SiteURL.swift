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
        // Unreserved characters are in the path set too, so such a segment stays as it is.
        if text.utf8.allSatisfy(isUnreserved) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: segmentAllowed) ?? text
    }

    private static let segmentAllowed = CharacterSet.urlPathAllowed.subtracting(["/", "?", "#"])

    static func component(_ text: String) -> String {
        // Codes, dates and modes need no encoding; building the character set and encoding
        // through Foundation cost a fifth of the servers page (1000 links).
        if text.utf8.allSatisfy(isUnreserved) { return text }
        return text.addingPercentEncoding(withAllowedCharacters: componentAllowed) ?? text
    }

    private static let componentAllowed: CharacterSet = {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return allowed
    }()

    /// RFC 3986 unreserved ASCII, which `componentAllowed` leaves as it is.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
