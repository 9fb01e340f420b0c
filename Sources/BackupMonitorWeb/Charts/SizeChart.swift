import BackupMonitor

/// The backup-size trend of one outlet (SPEC §8): one line per mode through the size of the
/// day's newest backup file, with a dot and `<title>` per day that has one.
struct SizeChart: Sendable {
    var from: CalendarDay
    var to: CalendarDay
    var sizes: [ScanMode: [(day: CalendarDay, bytes: UInt64)]]

    private let width = 1200.0
    private let height = 200.0
    private let top = 10.0
    private let bottom = 22.0
    private let left = 70.0

    var svg: HTML {
        let slots = max(1, from.days(until: to))
        let maximum = max(1, sizes.values.flatMap { $0.map(\.bytes) }.max() ?? 0)
        let plotHeight = height - top - bottom
        func x(_ day: CalendarDay) -> Double {
            left + (width - left - 8) * Double(from.days(until: day)) / Double(slots)
        }
        func y(_ bytes: UInt64) -> Double { top + plotHeight * (1 - Double(bytes) / Double(maximum)) }
        var series: [HTML] = []
        for mode in ScanMode.allCases {
            let points = (sizes[mode] ?? []).sorted { $0.day < $1.day }
            guard !points.isEmpty else { continue }
            let path = points.map { "\(TrendChart.number(x($0.day))),\(TrendChart.number(y($0.bytes)))" }
                .joined(separator: " ")
            series.append("<polyline class=\"line \(mode.rawValue)\" points=\"\(path)\"/>\n")
            for point in points {
                series.append(
                    "<circle class=\"dot \(mode.rawValue)\" cx=\"\(TrendChart.number(x(point.day)))\" cy=\"\(TrendChart.number(y(point.bytes)))\" r=\"3\"><title>\(point.day) \(mode.displayName): \(Format.size(point.bytes))</title></circle>\n"
                )
            }
        }
        let axis: HTML = """
            <text x="\(TrendChart.number(left - 6))" y="\(TrendChart.number(top + 10))" text-anchor="end">\(Format.size(maximum))</text>
            <text x="\(TrendChart.number(left - 6))" y="\(TrendChart.number(top + plotHeight))" text-anchor="end">0</text>
            <line x1="\(TrendChart.number(left))" y1="\(TrendChart.number(top + plotHeight))" x2="\(TrendChart.number(width))" y2="\(TrendChart.number(top + plotHeight))"/>
            <text x="\(TrendChart.number(left))" y="\(TrendChart.number(height - 6))">\(from.description)</text>
            <text x="\(TrendChart.number(width))" y="\(TrendChart.number(height - 6))" text-anchor="end">\(to.description)</text>
            <text class="key ddrive" x="\(TrendChart.number(left + 10))" y="\(TrendChart.number(top + 10))">— D-Drive</text>
            <text class="key ibstorage" x="\(TrendChart.number(left + 100))" y="\(TrendChart.number(top + 10))">— IBSTORAGE</text>

            """
        return """
            <svg class="chart sizes" viewBox="0 0 \(TrendChart.number(width)) \(TrendChart.number(height))" role="img" aria-label="Backup size per day from \(from) to \(to)">
            \(axis)\(series)</svg>
            """
    }
}
