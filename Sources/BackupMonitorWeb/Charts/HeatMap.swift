import BackupMonitor

/// An outlet's history as a heat map (SPEC §8): one square per day and mode, coloured by the
/// day's status, with a `<title>` naming the day, the status and the reason.
struct HeatMap: Sendable {
    var from: CalendarDay
    var to: CalendarDay
    /// Records by mode, then by day.
    var records: [ScanMode: [CalendarDay: BackupRecord]]

    private let cell = 10.0
    private let gap = 2.0
    private let labelWidth = 84.0

    var svg: HTML {
        let slots = from.days(until: to) + 1
        let width = labelWidth + Double(slots) * (cell + gap)
        let height = Double(ScanMode.allCases.count) * (cell + gap) + 18
        var rows: [HTML] = []
        for (row, mode) in ScanMode.allCases.enumerated() {
            let y = Double(row) * (cell + gap)
            rows.append(
                "<text x=\"0\" y=\"\(TrendChart.number(y + cell - 1))\">\(mode.displayName)</text>\n")
            for index in 0..<max(0, slots) {
                let day = from.adding(days: index)
                let record = records[mode]?[day]
                let kind: String
                let tip: String
                switch record?.status {
                case .success?:
                    kind = "ok"
                    tip = "\(day) \(mode.displayName): successful, \(record?.fileName ?? "")"
                case .failed?:
                    kind = "bad"
                    tip = "\(day) \(mode.displayName): \(record?.failureKind?.label ?? "failed")"
                case nil:
                    kind = "none"
                    tip = "\(day) \(mode.displayName): no record"
                }
                let x = labelWidth + Double(index) * (cell + gap)
                rows.append(
                    "<rect class=\"\(kind)\" x=\"\(TrendChart.number(x))\" y=\"\(TrendChart.number(y))\" width=\"\(TrendChart.number(cell))\" height=\"\(TrendChart.number(cell))\"><title>\(tip)</title></rect>\n"
                )
            }
        }
        let labelY = Double(ScanMode.allCases.count) * (cell + gap) + 12
        let legend: HTML = """
            <text x="\(TrendChart.number(labelWidth))" y="\(TrendChart.number(labelY))">\(from.description)</text>
            <text x="\(TrendChart.number(width))" y="\(TrendChart.number(labelY))" text-anchor="end">\(to.description)</text>

            """
        return """
            <svg class="chart heatmap" viewBox="0 0 \(TrendChart.number(width)) \(TrendChart.number(height))" role="img" aria-label="Daily status from \(from) to \(to); green successful, red failed, grey no record">
            \(rows)\(legend)</svg>
            """
    }
}
