public enum BackupMonitorWebPlaceholder {}
