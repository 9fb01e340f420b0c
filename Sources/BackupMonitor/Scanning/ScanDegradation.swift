/// A scan whose failures look like the monitor's own overload, or its network's, rather than
/// the outlets' (SPEC §6): told to the operator instead of hundreds of false outages.
///
/// Two signs, each enough: outlets that timed out and then answered when tried again at low
/// concurrency (a dead outlet stays dead on a second try), and the monitor's event loop falling
/// behind its timers (a starved process cannot keep its deadlines, whatever the outlets do).
public struct ScanDegradation: Sendable, Hashable {
    /// Timed-out outlets that answered on a second try, and how many were tried.
    public var recovered: Int
    public var retried: Int
    /// Outlets that timed out in the first pass.
    public var timedOut: Int
    public var loopLagMax: Duration?
    /// How often the adaptive concurrency was cut, and the lowest limit it reached.
    public var cuts: Int
    public var lowestConcurrency: Int?

    /// Recovered outlets that make a scan degraded: at least this many, and at least a quarter
    /// of those retried (a handful of flaky outlets in a large fleet is their own business).
    static let minimumRecovered = 3
    /// Event-loop lag that makes a scan degraded by itself: deadlines of a few seconds cannot
    /// hold when timers fire this late.
    static let lagThreshold: Duration = .seconds(1)

    /// The degradation of a scan with these figures, or nil when it looks sound.
    static func judge(
        firstPass: PassCounts, retried: Int, recovered: Int, loopLagMax: Duration?, cuts: Int, lowest: Int?
    ) -> ScanDegradation? {
        let recoveredMany = recovered >= minimumRecovered && recovered * 4 >= retried
        let lagging = (loopLagMax ?? .zero) >= lagThreshold
        guard recoveredMany || lagging else { return nil }
        return ScanDegradation(
            recovered: recovered, retried: retried, timedOut: firstPass.timedOut, loopLagMax: loopLagMax, cuts: cuts,
            lowestConcurrency: lowest)
    }

    /// "Scan degraded: the monitor or its network was overloaded (…)", with the figures.
    public var sentence: String {
        var figures: [String] = []
        if let secondTry = ScanSecondTry.sentence(retried: retried, recovered: recovered) { figures.append(secondTry) }
        if let loopLagMax, loopLagMax >= Self.lagThreshold {
            figures.append("the monitor's event loop fell up to \(loopLagMax.secondsText) behind")
        }
        if cuts > 0, let lowestConcurrency {
            figures.append(
                "concurrency was cut \(cuts) time\(cuts == 1 ? "" : "s"), down to \(lowestConcurrency) sessions")
        }
        return "Scan degraded: the monitor or its network was overloaded (\(figures.joined(separator: "; ")))."
    }
}
