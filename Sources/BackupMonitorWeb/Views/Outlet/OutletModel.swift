import BackupMonitor

/// One outlet's page (SPEC §8): settings, 90-day history, size trend, recent files, last error.
struct OutletModel: Sendable {
    var outlet: Outlet
    var from: CalendarDay
    var to: CalendarDay
    /// The last 90 days of records, newest first, per mode.
    var history: [ScanMode: [BackupRecord]]

    var heatMap: HeatMap {
        HeatMap(
            from: from, to: to,
            records: history.mapValues { records in
                Dictionary(records.map { ($0.scanDate, $0) }, uniquingKeysWith: { first, _ in first })
            })
    }

    var sizeChart: SizeChart {
        SizeChart(
            from: from, to: to,
            sizes: history.mapValues { records in
                records.compactMap { record in
                    record.fileSize.map { (day: record.scanDate, bytes: $0) }
                }
            })
    }

    /// The newest records that named a file, across both modes, newest first.
    var recentFiles: [BackupRecord] {
        Array(
            history.values.flatMap { $0 }.filter { $0.fileName != nil }
                .sorted { ($0.scanDate, $0.mode.rawValue) > ($1.scanDate, $1.mode.rawValue) }.prefix(10))
    }

    func lastError(_ mode: ScanMode) -> BackupRecord? {
        history[mode]?.first { $0.status == .failed }
    }
}
