extension SchemaMigration {
    /// A good record kept against a later check that failed at connection level (SPEC §5):
    /// when that check ran and what it met, for the note "last checked 06:12: unreachable (…)".
    static let failedRechecks = SchemaMigration(
        version: 10,
        name: "failed re-checks of good records",
        statements: [
            "ALTER TABLE backup_records ADD COLUMN last_check_at BIGINT",
            "ALTER TABLE backup_records ADD COLUMN last_check_kind TEXT",
            "ALTER TABLE backup_records ADD COLUMN last_check_details TEXT",
        ]
    )
}
