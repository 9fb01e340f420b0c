import Foundation

/// A wall-clock time of day (`07:30`) in the monitor's time zone: a schedule slot or the
/// retry cut-off (SPEC §6 scheduled scans, §9 configuration).
public struct LocalTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Accepts `H:MM` and `HH:MM` (24-hour clock); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts[0].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// Parses a comma-separated list (`07:30, 13:00`) into sorted, distinct times; nil when an item
    /// is not a time. An empty text is an empty list (the schedule is off).
    public static func list(_ text: String) -> [LocalTime]? {
        var times: Set<LocalTime> = []
        for item in text.split(separator: ",") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let time = LocalTime(trimmed) else { return nil }
            times.insert(time)
        }
        return times.sorted()
    }

    public var description: String { String(format: "%02d:%02d", hour, minute) }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        (lhs.hour, lhs.minute) < (rhs.hour, rhs.minute)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = LocalTime(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected HH:MM, got \(text)")
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension CalendarDay {
    /// The instant `time` occurs on this day in `timeZone`.
    ///
    /// Daylight saving: a time inside a skipped hour (spring forward) does not exist; it runs at
    /// the first instant after the gap, the moment the clocks jump. A time inside a repeated hour
    /// (fall back) happens twice; the first is taken, so a slot runs once.
    public func instant(of time: LocalTime, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = start(in: timeZone)
        // Walk from the start of the day in wall-clock minutes, checking each candidate maps back
        // to the same wall time; this avoids depending on how Foundation resolves gaps.
        let wanted = DateComponents(year: year, month: month, day: day, hour: time.hour, minute: time.minute)
        if let candidate = calendar.date(from: wanted) {
            let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: candidate)
            if back.year == year, back.month == month, back.day == day, back.hour == time.hour,
                back.minute == time.minute
            {
                // In a repeated hour the earlier offset is the first occurrence: step back one
                // hour and keep it when it shows the same wall time.
                let earlier = candidate.addingTimeInterval(-3600)
                let earlierBack = calendar.dateComponents([.day, .hour, .minute], from: earlier)
                if earlierBack.day == day, earlierBack.hour == time.hour, earlierBack.minute == time.minute {
                    return earlier
                }
                return candidate
            }
        }
        // The wall time falls in a gap: the first instant after it is the transition itself.
        if let transition = timeZone.nextDaylightSavingTimeTransition(after: start), transition < end(in: timeZone) {
            return transition
        }
        return calendar.date(from: wanted) ?? start
    }
}
