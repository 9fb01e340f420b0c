/// Which stored records a query wants (SPEC §7 query parameters).
public struct RecordFilter: Sendable, Hashable {
    public var mode: ScanMode
    public var outletCode: String?
    public var from: CalendarDay?
    public var to: CalendarDay?
    public var status: BackupStatus?
    public var failureKind: FailureKind?

    public init(
        mode: ScanMode, outletCode: String? = nil, from: CalendarDay? = nil, to: CalendarDay? = nil,
        status: BackupStatus? = nil, failureKind: FailureKind? = nil
    ) {
        self.mode = mode
        self.outletCode = outletCode
        self.from = from
        self.to = to
        self.status = status
        self.failureKind = failureKind
    }
}

/// One day's counts for the daily summary and the trend chart.
public struct DailyCount: Sendable, Hashable {
    public var day: CalendarDay
    public var successful: Int
    public var failed: Int
    public var total: Int { successful + failed }
}
