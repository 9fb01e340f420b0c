/// Every environment variable the monitor reads (SPEC §9), with its default and help text.
///
/// One catalogue feeds the parser, `backup-monitor config`, the Settings page and the README,
/// so the three never disagree. The first nine keep the original system's names.
public struct ConfigurationVariable: Sendable, Hashable {
    public var name: String
    public var defaultValue: String?
    public var help: String
    /// Never printed, logged or shown; pages show `*****`.
    public var isSecret: Bool

    public static let all: [ConfigurationVariable] = [
        .init("SHARE", "d$", "Share holding the D-Drive backup folder."),
        .init("FOLDER", "BackupFull", "D-Drive backup folder inside SHARE."),
        .init("USER", nil, "SMB user for the D-Drive check (DOMAIN\\user or user@domain accepted)."),
        .init("PASS", nil, "Password of USER.", secret: true),
        .init("SMB_USER", nil, "SMB user for the IBSTORAGE check; defaults to USER."),
        .init("SMB_PASS", nil, "Password of SMB_USER; defaults to PASS.", secret: true),
        .init("IB_STORAGE_DRIVES", "e$,f$,g$,h$,i$", "Shares tried, in order, for the IBSTORAGE USB drive."),
        .init("IB_STORAGE_FOLDER", "BackupFull", "Backup folder on the IBSTORAGE drive."),
        .init("CORS_ORIGINS", "", "Comma-separated origins allowed to call the API from a browser."),
        .init("DATABASE_URL", "sqlite:data/backup-monitor.sqlite", "sqlite:PATH or postgres://USER:PASS@HOST:PORT/DB."),
        .init("LISTEN_HOST", "127.0.0.1", "Address the web server binds."),
        .init("LISTEN_PORT", "8080", "Port the web server binds."),
        .init("TZ", nil, "Time zone that defines a scan day (IANA name); defaults to the host's."),
        .init("BACKUP_PATTERNS", "*.bak,*.zip,*.7z,*.rar,*.gz", "File-name globs that count as backups."),
        .init("MIN_BACKUP_BYTES", "1048576", "Smallest size of a good backup, in bytes."),
        .init("SMB_DOMAIN", "", "NTLM domain when USER/SMB_USER do not name one."),
        .init("SMB_CONNECT_TIMEOUT", "5", "Seconds to wait for an outlet's TCP connection."),
        .init("SMB_REQUEST_TIMEOUT", "10", "Seconds to wait for any one SMB reply."),
        .init("OUTLET_TIMEOUT", "30", "Seconds one outlet may take in all before it is failed."),
        .init(
            "SCAN_CONCURRENCY", "256",
            "Most outlets in an SMB session at once during a scan; fewer while the network or the monitor is "
                + "congested (up to 3x as many more may be connecting meanwhile)."),
        .init(
            "SCAN_CONCURRENCY_FLOOR", "8",
            "Fewest outlets in a session at once when the scan cuts its concurrency (set it to SCAN_CONCURRENCY "
                + "for a fixed number)."),
        .init("LOG_DIR", "logs", "Folder for the daily per-mode log files."),
        .init("LOG_LEVEL", "info", "trace, debug, info, notice, warning, error or critical."),
        .init(
            "ADMIN_PASSWORD", nil,
            "Password of the `admin` user created at first start; generated and printed once when unset.",
            secret: true),
        .init("SESSION_HOURS", "12", "Hours a web sign-in lasts."),
        .init(
            "SECURE_COOKIES", "auto",
            "auto (Secure when the request came over https, X-Forwarded-Proto included), true or false."),
        .init(
            "SCHEDULE_DDRIVE", "",
            "Local times (HH:MM in TZ, comma-separated) of scheduled D-Drive scans; empty: no schedule."),
        .init(
            "SCHEDULE_IBSTORAGE", "",
            "Local times (HH:MM in TZ, comma-separated) of scheduled IBSTORAGE scans; empty: no schedule."),
        .init(
            "RETRY_INTERVAL_MINUTES", "30",
            "Minutes between re-scans of the outlets a scheduled scan left failing; 0: no re-scans."),
        .init(
            "RETRY_UNTIL", "12:00",
            "Local time (HH:MM) after which failing outlets are no longer re-scanned and a slot missed "
                + "while the server was down is no longer caught up; empty: end of the day."),
        .init(
            "NOTIFY_WEBHOOKS", "",
            "Comma-separated webhook URLs told after each scheduled scan; prefix slack: or teams: for "
                + "those payloads (generic JSON otherwise).",
            secret: true),
        .init(
            "SECRET_KEY", nil,
            "Key sealing per-outlet SMB passwords (AES-256-GCM): 64 hex digits or base64 of 32 bytes; when unset, "
                + "SECRET_KEY_FILE holds it.",
            secret: true),
        .init(
            "SECRET_KEY_FILE", "data/backup-monitor.key",
            "File holding that key when SECRET_KEY is unset; created with mode 0600 at first start. Keep it out of "
                + "database backups."),
        .init("NOTIFY_ATTEMPTS", "4", "Attempts per webhook delivery before it is logged as failed (1 to 10)."),
        .init("NOTIFY_TIMEOUT", "10", "Seconds one webhook attempt may take."),
    ]

    init(_ name: String, _ defaultValue: String?, _ help: String, secret: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.help = help
        self.isSecret = secret
    }
}
