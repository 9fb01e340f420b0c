import BackupMonitor

/// The admin's settings page (SPEC §8): outlets and CSV import, users and roles, API tokens,
/// and the effective configuration with secrets masked.
struct SettingsModel: Sendable {
    struct TokenRow: Sendable {
        var token: ApiToken
        var username: String
    }

    var outlets: [Outlet]
    var users: [MonitorUser]
    var tokens: [TokenRow]
    var configuration: [(name: String, value: String, help: String)]
    /// Scheduled scan times per mode, the re-scan rule, and where notifications go.
    var schedule: ScheduleSettings
    var webhooks: [(target: String, format: String)]
    var deliveries: [NotificationDelivery]
    /// The outlet in the edit form; nil for "add".
    var editing: Outlet?
    /// The edited outlet's credential overrides (logins only: passwords are never shown).
    var editingCredentials: [OutletCredentials.Status] = []
    var notice: String?
    var error: String?
    /// The CSV as posted and its problems, each with its line number, when an import failed.
    var importText: String?
    var importProblems: [String] = []
    /// A token just created: its secret is shown this once and never again.
    var createdToken: (name: String, secret: String)?
}
