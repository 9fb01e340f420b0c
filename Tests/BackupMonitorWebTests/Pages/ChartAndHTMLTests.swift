import Foundation
import Testing

@testable import BackupMonitor
@testable import BackupMonitorWeb

/// The building blocks of the pages: escaping, URLs, return addresses, and the SVG charts'
/// geometry and tooltips.
@Suite("HTML and charts")
struct ChartAndHTMLTests {
    @Test func interpolatedTextIsEscapedAndHTMLIsNot() {
        let name = #"<img src=x onerror="alert('x')"> & co"#
        let cell: HTML = "<td>\(name)</td>"
        #expect(cell.text == "<td>&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; co</td>")
        let nested: HTML = "<tr>\(cell)</tr>"
        #expect(nested.text == "<tr>" + cell.text + "</tr>")
        let optional: String? = nil
        #expect(HTML("<b>\(optional)</b>").text == "<b></b>")
    }

    @Test func siteURLsEncodePathsAndQueries() {
        #expect(SiteURL.outlet("A B/C").path == "/servers/A%20B%2FC")
        #expect(
            SiteURL.backups.with([("outlet", "O&1"), ("status", nil), ("reason", ""), ("date", "2026-11-20")])
                == "/backups?outlet=O%261&date=2026-11-20")
    }

    @Test func returnAddressesStayOnThisSite() {
        #expect(PagesController.localReturn("/backups?status=failed") == "/backups?status=failed")
        for address in ["//evil.example/", "https://evil.example/", "/\\evil", "backups", "/a\nb", nil] {
            #expect(PagesController.localReturn(address) == nil, "\(String(describing: address))")
        }
    }

    @Test func urlPasswordsAreMasked() {
        #expect(
            SettingsView.maskURLPassword("postgres://monitor:s3cret@db:5432/monitor")
                == "postgres://monitor:*****@db:5432/monitor")
        #expect(SettingsView.maskURLPassword("sqlite:data/x.sqlite") == "sqlite:data/x.sqlite")
        #expect(SettingsView.maskURLPassword("postgres://db/monitor") == "postgres://db/monitor")
    }

    @Test func trendBarsAreStackedInProportionWithATooltipPerDay() {
        let from = CalendarDay("2026-11-01")!
        let counts = [
            DailyCount(day: from, successful: 90, failed: 10),
            DailyCount(day: from.adding(days: 2), successful: 45, failed: 5),
        ]
        let svg = TrendChart(days: counts, from: from, to: from.adding(days: 2)).svg.text
        #expect(svg.components(separatedBy: "<g class=\"bar\">").count - 1 == 3)
        #expect(svg.contains("<title>2026-11-01: 90 successful, 10 failed (90.0 %)</title>"))
        #expect(svg.contains("<title>2026-11-02: no records</title>"))
        // Plot height 186 (220 − 10 − 24); the tallest day fills it, the other is half as tall.
        let heights = svg.matches(of: #/class="(ok|bad)"[^>]* height="([0-9.]+)"/#).map {
            (String($0.1), Double($0.2)!)
        }
        #expect(heights.map(\.0) == ["ok", "bad", "ok", "bad"])
        #expect(abs(heights[0].1 + heights[1].1 - 186) < 0.2)
        #expect(abs(heights[2].1 + heights[3].1 - 93) < 0.2)
    }

    @Test func theHeatMapColoursEveryDayOfBothModes() {
        let to = CalendarDay("2026-11-20")!
        let from = to.adding(days: -89)
        let failed = BackupRecord(
            mode: .ddrive, outletCode: "X", scanDate: to, status: .failed, duration: .zero, failureKind: .auth,
            scannedAt: Date())
        let good = BackupRecord(
            mode: .ibstorage, outletCode: "X", scanDate: from, status: .success, fileName: "x.bak", duration: .zero,
            scannedAt: Date())
        let svg = HeatMap(from: from, to: to, records: [.ddrive: [to: failed], .ibstorage: [from: good]]).svg.text
        #expect(svg.components(separatedBy: "<rect ").count - 1 == 180)
        #expect(svg.components(separatedBy: "class=\"bad\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "class=\"ok\"").count - 1 == 1)
        #expect(svg.contains("<title>2026-11-20 D-Drive: Authentication failed</title>"))
        #expect(svg.contains("<title>\(from) IBSTORAGE: successful, x.bak</title>"))
    }

}
