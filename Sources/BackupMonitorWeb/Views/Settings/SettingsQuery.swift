import BackupMonitor

/// Everything the settings page lists, read fresh on every view.
struct SettingsQuery: Sendable {
    let dependencies: AppDependencies

    func model(editing: Outlet? = nil, notice: String? = nil, error: String? = nil) async throws -> SettingsModel {
        let users = try await dependencies.users.all()
        let names = Dictionary(users.map { ($0.id, $0.username) }, uniquingKeysWith: { first, _ in first })
        let tokens = try await dependencies.tokens.tokens(userID: nil).map {
            SettingsModel.TokenRow(token: $0, username: names[$0.userID] ?? "?")
        }
        var editingCredentials: [OutletCredentials.Status] = []
        if let editing { editingCredentials = try await dependencies.credentials.status(of: editing.code) }
        return SettingsModel(
            outlets: try await dependencies.outlets.all(), users: users, tokens: tokens,
            configuration: dependencies.configuration.effectiveValues.map {
                ($0.variable.name, $0.value, $0.variable.help)
            },
            schedule: ScheduleSettings(configuration: dependencies.configuration),
            webhooks: dependencies.configuration.webhooks.map { ($0.maskedURL, $0.format.rawValue) },
            deliveries: try await NotificationDeliveryRepository(database: dependencies.database).recent(limit: 10),
            editing: editing,
            editingCredentials: editingCredentials,
            notice: notice, error: error)
    }
}
