extension SchemaMigration {
    /// Per-outlet, per-mode SMB credentials (SPEC §2, §11): the user as typed and the password
    /// sealed by `SecretBox` under a key outside the database. They replace the two columns of
    /// version 1 that nothing ever read or wrote (one pair for both modes).
    static let outletCredentials = SchemaMigration(
        version: 8,
        name: "per-outlet credentials",
        statements: [
            """
            CREATE TABLE outlet_credentials (
                outlet_code TEXT NOT NULL REFERENCES outlets(code) ON DELETE CASCADE,
                mode TEXT NOT NULL,
                login TEXT NOT NULL,
                password_sealed TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (outlet_code, mode))
            """,
            "ALTER TABLE outlets DROP COLUMN username_override",
            "ALTER TABLE outlets DROP COLUMN password_override_sealed",
        ]
    )
}
