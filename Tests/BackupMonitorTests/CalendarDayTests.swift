import Foundation
import Testing

@testable import BackupMonitor

@Suite struct CalendarDayTests {
    @Test(arguments: [
        "2026-02-30", "2026-13-01", "26-11-27", "2026-1-27", "2026/11/27", "", "2026-11-27x", " 2026-11-2",
    ])
    func rejectsWhatIsNotADate(_ text: String) {
        #expect(CalendarDay(text) == nil)
    }

    @Test func parsesPrintsAndCounts() {
        let day = CalendarDay("2024-02-29")!
        #expect(day.description == "2024-02-29")
        #expect(day.adding(days: 1).description == "2024-03-01")
        #expect(day.adding(days: -60).description == "2023-12-31")
        #expect(day.days(until: CalendarDay("2024-03-07")!) == 7)
        #expect(CalendarDay("2026-11-27")! < CalendarDay("2026-12-01")!)
    }
}
