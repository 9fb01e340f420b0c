extension SchemaMigration {
    /// What a scan's second pass did and whether the scan was degraded (SPEC §6), kept with the
    /// scan: `/health` reads it, and a reconnecting stream needs `retried` to know the number of
    /// the scan's final event.
    static let scanPasses = SchemaMigration(
        version: 9,
        name: "second pass and degradation of a scan",
        statements: [
            "ALTER TABLE scans ADD COLUMN retried INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE scans ADD COLUMN recovered INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE scans ADD COLUMN degraded TEXT",
        ]
    )
}
