/// How many outlets may be in an SMB session at once, following what the path carries (SPEC §6),
/// the way TCP's congestion control follows a link: additive increase, multiplicative decrease.
///
/// Starting at `initial`, the limit doubles per round of completions (slow start) while sessions
/// answer near the scan's own baseline; after the first cut it grows by one per round. When
/// congestion signals cluster (sessions that time out, or that take far longer than the
/// baseline), it is cut by `cutFactor`, at most once per `cooldown`. `SCAN_CONCURRENCY` is the
/// ceiling, `SCAN_CONCURRENCY_FLOOR` the floor.
///
/// Only sessions count, never a connect: an outlet that is switched off times out at connect
/// whatever the monitor does, and many of them at 07:00 are the fleet's state, not congestion.
/// A pure value driven by the caller's clock, so tests run it with a manual one.
struct ConcurrencyController: Sendable {
    struct Settings: Sendable, Hashable {
        var floor: Int
        var ceiling: Int
        var initial: Int
        /// Answered sessions that make the baseline (their median).
        var baselineSamples = 16
        /// A session slower than `slowFactor` × baseline + `slowMargin` is a congestion signal.
        var slowFactor = 4.0
        var slowMargin: Duration = .milliseconds(250)
        /// Signals within `signalWindow` that cut the limit.
        var signalsToCut = 3
        var signalWindow: Duration = .seconds(1)
        var cutFactor = 0.5
        var cooldown: Duration = .seconds(1)

        /// `ceiling` = SCAN_CONCURRENCY; a floor above it is the ceiling (no adaptation).
        init(floor: Int, ceiling: Int) {
            self.ceiling = max(1, ceiling)
            self.floor = min(max(1, floor), self.ceiling)
            initial = min(self.ceiling, max(self.floor, 32))
        }
    }

    /// How an outlet's session ended.
    enum Outcome: Sendable, Hashable {
        /// Answered (whatever the verdict) after this long in its session.
        case answered(Duration)
        /// No answer in time after the session had started.
        case timedOut
    }

    /// One change of the limit, `at` from the start of the scan.
    struct Step: Sendable, Hashable {
        var at: Duration
        var limit: Int
    }

    let settings: Settings
    private(set) var limit: Int
    private(set) var steps: [Step]
    private(set) var baseline: Duration?
    private(set) var cuts = 0
    private var window: Double
    private var slowStart = true
    private var firstAnswers: [Duration] = []
    private var signals: [Duration] = []
    private var lastCut: Duration?

    init(_ settings: Settings) {
        self.settings = settings
        limit = settings.initial
        window = Double(settings.initial)
        steps = [Step(at: .zero, limit: settings.initial)]
    }

    /// Takes one session's end at `now` (since the scan started); returns the new limit when
    /// it changed.
    mutating func observe(_ outcome: Outcome, at now: Duration) -> Int? {
        if isCongestion(outcome) {
            signals.append(now)
            signals.removeAll { now - $0 > settings.signalWindow }
            guard signals.count >= settings.signalsToCut, lastCut.map({ now - $0 >= settings.cooldown }) ?? true
            else { return nil }
            signals.removeAll()
            lastCut = now
            cuts += 1
            slowStart = false
            window = max(Double(settings.floor), window * settings.cutFactor)
        } else {
            window += slowStart ? 1 : 1 / window
            window = min(window, Double(settings.ceiling))
        }
        let next = min(settings.ceiling, max(settings.floor, Int(window)))
        guard next != limit else { return nil }
        limit = next
        steps.append(Step(at: now, limit: next))
        return next
    }

    private mutating func isCongestion(_ outcome: Outcome) -> Bool {
        switch outcome {
        case .timedOut:
            return true
        case .answered(let time):
            guard let baseline else {
                firstAnswers.append(time)
                if firstAnswers.count >= settings.baselineSamples {
                    baseline = firstAnswers.sorted()[firstAnswers.count / 2]
                }
                return false
            }
            return time > baseline * settings.slowFactor + settings.slowMargin
        }
    }
}
