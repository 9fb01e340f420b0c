print("backup-monitor")
