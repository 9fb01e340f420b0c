import BackupMonitor
import Foundation

/// The web server's own settings, read from the variables `ConfigurationVariable.all` lists;
/// every error names its variable, as start-up must (SPEC §9).
public struct WebSettings: Sendable {
    public enum CookieSecurity: String, Sendable {
        /// Secure when the request came over https (directly or per `X-Forwarded-Proto`).
        case auto
        case always = "true"
        case never = "false"
    }

    public var adminPassword: String?
    public var sessionLifetime: Duration
    public var cookieSecurity: CookieSecurity
    public var corsOrigins: [String]
    public var timeZone: TimeZone

    public init(configuration: MonitorConfiguration) throws {
        let values = configuration.values
        let password = values["ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if let password, let problem = PasswordRule.problem(with: password) {
            throw ConfigurationError(variable: "ADMIN_PASSWORD", problem: problem)
        }
        adminPassword = password
        let hoursText = values["SESSION_HOURS"].flatMap { $0.isEmpty ? nil : $0 } ?? "12"
        guard let hours = Int(hoursText), (1...24 * 90).contains(hours) else {
            throw ConfigurationError(
                variable: "SESSION_HOURS", problem: "\"\(hoursText)\" is not a whole number of hours from 1 to 2160")
        }
        sessionLifetime = .seconds(hours * 3600)
        let secureText = (values["SECURE_COOKIES"].flatMap { $0.isEmpty ? nil : $0 } ?? "auto").lowercased()
        guard let security = CookieSecurity(rawValue: secureText) else {
            throw ConfigurationError(
                variable: "SECURE_COOKIES", problem: "\"\(secureText)\" is not auto, true or false")
        }
        cookieSecurity = security
        corsOrigins = configuration.corsOrigins
        timeZone = configuration.timeZone
    }
}
