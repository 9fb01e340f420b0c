import ArgumentParser

@main
struct BackupMonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup-monitor",
        abstract: "Checks every outlet's nightly SQL Server backup over SMB and shows the fleet on a dashboard.",
        discussion: """
            Settings come from the environment and a .env file in the working directory (SHARE, FOLDER, USER,
            PASS, SMB_USER, SMB_PASS, IB_STORAGE_DRIVES, IB_STORAGE_FOLDER, DATABASE_URL, TZ, ...);
            `backup-monitor config` lists them all with their effective values.
            """,
        subcommands: [
            ScanCommand.self, OutletsCommand.self, MigrateCommand.self, ConfigCommand.self, SMBCommand.self,
            ServeCommand.self, UsersCommand.self, SecretsCommand.self, ImportLegacyCommand.self,
        ]
    )
}
