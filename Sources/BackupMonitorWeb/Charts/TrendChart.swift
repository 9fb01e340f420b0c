import BackupMonitor
import Foundation

/// The dashboard's daily trend (SPEC §8): one stacked bar per day, successful below failed,
/// drawn as SVG on the server with a `<title>` tooltip per bar. Days without records keep
/// their slot, so gaps in monitoring show as gaps.
struct TrendChart: Sendable {
    var days: [DailyCount]
    var from: CalendarDay
    var to: CalendarDay

    private let width = 1200.0
    private let height = 220.0
    private let top = 10.0
    private let bottom = 24.0
    private let left = 36.0

    init(days: [DailyCount], from: CalendarDay, to: CalendarDay) {
        self.days = days
        self.from = from
        self.to = to
    }

    var svg: HTML {
        let byDay = Dictionary(days.map { ($0.day, $0) }, uniquingKeysWith: { first, _ in first })
        let slots = from.days(until: to) + 1
        let maximum = max(1, days.map(\.total).max() ?? 0)
        let plotHeight = height - top - bottom
        let slot = (width - left) / Double(max(1, slots))
        let barWidth = max(1, slot * 0.7)
        var bars: [HTML] = []
        for index in 0..<max(0, slots) {
            let day = from.adding(days: index)
            let x = left + Double(index) * slot + (slot - barWidth) / 2
            let successful = byDay[day]?.successful ?? 0
            let failed = byDay[day]?.failed ?? 0
            let tip =
                successful + failed == 0
                ? "\(day): no records"
                : "\(day): \(successful) successful, \(failed) failed (\(Format.percent(successful, of: successful + failed)))"
            let successHeight = plotHeight * Double(successful) / Double(maximum)
            let failedHeight = plotHeight * Double(failed) / Double(maximum)
            let base = top + plotHeight
            // The full-height slot carries the tooltip, so thin or empty days can be hovered too.
            var bar: HTML = """
                <g class="bar"><title>\(tip)</title>\
                <rect class="slot" x="\(Self.number(left + Double(index) * slot))" y="\(Self.number(top))" width="\(Self.number(slot))" height="\(Self.number(plotHeight))"/>
                """
            if successful > 0 {
                bar += """
                    <rect class="ok" x="\(Self.number(x))" y="\(Self.number(base - successHeight))" width="\(Self.number(barWidth))" height="\(Self.number(successHeight))"/>
                    """
            }
            if failed > 0 {
                bar += """
                    <rect class="bad" x="\(Self.number(x))" y="\(Self.number(base - successHeight - failedHeight))" width="\(Self.number(barWidth))" height="\(Self.number(failedHeight))"/>
                    """
            }
            bars.append(bar + "</g>\n")
        }
        var labels: [HTML] = []
        let step = max(1, slots / 6)
        for index in stride(from: 0, to: slots, by: step) {
            let day = from.adding(days: index)
            let x = left + (Double(index) + 0.5) * slot
            labels.append(
                "<text x=\"\(Self.number(x))\" y=\"\(Self.number(height - 6))\" text-anchor=\"middle\">\(String(day.description.dropFirst(5)))</text>\n"
            )
        }
        let axis: HTML = """
            <text x="\(Self.number(left - 6))" y="\(Self.number(top + 10))" text-anchor="end">\(maximum)</text>
            <text x="\(Self.number(left - 6))" y="\(Self.number(top + plotHeight))" text-anchor="end">0</text>
            <line x1="\(Self.number(left))" y1="\(Self.number(top + plotHeight))" x2="\(Self.number(width))" y2="\(Self.number(top + plotHeight))"/>

            """
        let summary = "Successful and failed outlets per day from \(from) to \(to)"
        return """
            <svg class="chart trend" viewBox="0 0 \(Self.number(width)) \(Self.number(height))" role="img" aria-label="\(summary)">
            \(bars)\(axis)\(labels)</svg>
            """
    }

    /// Coordinates with at most one decimal, so snapshots are stable and pages small.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.1f", rounded)
    }
}
