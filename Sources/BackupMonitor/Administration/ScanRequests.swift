import Foundation

/// Scans as a person or a script asks for them (SPEC §6), for the API, the pages and the CLI
/// alike: which day may be judged, which outlet codes a request may name, and starting or
/// joining the scan. The scheduler starts its own scans through the coordinator.
public struct ScanRequests: Sendable {
    public let coordinator: ScanCoordinator
    let outlets: OutletRepository
    let timeZone: TimeZone
    let now: @Sendable () -> Date

    /// The most outlets one re-sync may name.
    public static let maximumOutlets = 5000

    public init(
        coordinator: ScanCoordinator, database: MonitorDatabase, timeZone: TimeZone,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.coordinator = coordinator
        self.outlets = OutletRepository(database: database)
        self.timeZone = timeZone
        self.now = now
    }

    /// Today in the monitor's time zone: the default scan date.
    public var today: CalendarDay { CalendarDay(containing: now(), in: timeZone) }

    /// The scan date of a request: the day given, else today. Tomorrow is still allowed (an
    /// outlet whose clock runs ahead, a monitor west of its outlets); later days cannot be judged.
    public func day(_ requested: CalendarDay?, field: String) throws(UseCaseError) -> CalendarDay {
        let today = today
        guard let requested else { return today }
        guard requested <= today.adding(days: 1) else {
            throw .invalid("\(field) \(requested) is in the future", field: field)
        }
        return requested
    }

    /// `day(_:field:)` for a day still in its text form (a form field, a CLI option).
    public func day(text: String?, field: String) throws(UseCaseError) -> CalendarDay {
        guard let text, !text.isEmpty else { return try day(nil, field: field) }
        guard let parsed = CalendarDay(text) else {
            // Right shape, impossible day (2026-02-30): say so, not "expected YYYY-MM-DD".
            let shaped =
                text.count == 10
                && text.enumerated().allSatisfy { index, character in
                    index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
                }
            throw .invalid(
                shaped
                    ? "\(field) \(text) is not a real date" : "\(field) must be YYYY-MM-DD, got \"\(text.prefix(40))\"",
                field: field)
        }
        return try day(parsed, field: field)
    }

    /// The outlet codes of a re-sync: 1 to 5000 well-formed codes, duplicates dropped, in order.
    /// A bad code is named with its position (`outlets[3]`).
    public func outletCodes(_ codes: [String], field: String = "outlets") throws(UseCaseError) -> [String] {
        guard !codes.isEmpty else { throw .invalid("\(field) must list at least one outlet code", field: field) }
        guard codes.count <= Self.maximumOutlets else {
            throw .invalid("\(field) lists more than \(Self.maximumOutlets) codes", field: field)
        }
        for (index, code) in codes.enumerated() {
            if let problem = Outlet(code: code, host: "x").validationProblems.first {
                throw .invalid(problem.description, field: "\(field)[\(index)]")
            }
        }
        var seen = Set<String>()
        return codes.filter { seen.insert($0).inserted }
    }

    /// Starts the scan, or joins the one running for its mode. Named outlets must exist: a
    /// running scan would otherwise be joined without the codes ever being looked at.
    public func start(
        mode: ScanMode, day: CalendarDay, outletCodes: [String]? = nil, triggeredBy: String
    ) async throws -> ScanCoordinator.Subscription {
        try await refusing {
            if let outletCodes { _ = try await outlets.outlets(codes: outletCodes) }
            return try await coordinator.start(
                ScanRequest(
                    mode: mode, day: day, outletCodes: outletCodes, kind: outletCodes == nil ? .full : .resync,
                    triggeredBy: triggeredBy))
        }
    }

    /// Starts (or joins) the scan and waits for its summary, telling `onEvent` of every event.
    public func run(
        mode: ScanMode, day: CalendarDay, outletCodes: [String]? = nil, triggeredBy: String,
        onEvent: @Sendable (ScanEvent) async -> Void = { _ in }
    ) async throws -> ScanSummary {
        let subscription = try await start(
            mode: mode, day: day, outletCodes: outletCodes, triggeredBy: triggeredBy)
        for await event in subscription.events {
            await onEvent(event)
            if case .finished(let summary) = event { return summary }
        }
        throw CancellationError()
    }

    /// The coordinator's refusals as use-case errors.
    private func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let unknown as UnknownOutletsError {
            throw UseCaseError(.invalid, unknown.description, field: "outlets", details: ["unknown": unknown.codes])
        } catch let configuration as ConfigurationError {
            throw UseCaseError(
                .conflict, "the server cannot scan: \(configuration)", field: configuration.variable)
        }
    }
}
