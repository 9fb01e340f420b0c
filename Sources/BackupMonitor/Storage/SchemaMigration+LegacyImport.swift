extension SchemaMigration {
    /// Records imported from the original system (`import-legacy`, SPEC §13): marked, so that a
    /// scan of ours is never overwritten by an import, and with the original size text (`2.45 GB`)
    /// beside the approximate bytes.
    static let legacyImport = SchemaMigration(
        version: 7,
        name: "records imported from the original system",
        statements: [
            "ALTER TABLE backup_records ADD COLUMN imported BOOLEAN NOT NULL DEFAULT FALSE",
            "ALTER TABLE backup_records ADD COLUMN file_size_text TEXT",
        ]
    )
}
