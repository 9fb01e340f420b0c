import BackupMonitor

extension MonitorRequestContext {
    /// Who started a scan, as its record names them: `user:NAME` or `token:NAME/TOKEN`.
    var scanTrigger: String {
        guard let principal else { return "api" }
        switch principal.credential {
        case .session: return "user:\(principal.user.username)"
        case .token(let token): return "token:\(principal.user.username)/\(token.name)"
        }
    }
}
