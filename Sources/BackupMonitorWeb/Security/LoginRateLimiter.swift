import Foundation

/// Login rate limit (SPEC §11): failed sign-ins are counted per client address and user name,
/// and per address alone, in a sliding window; over the limit, logins are refused before the
/// password is even checked, so guessing costs the attacker time, not the server CPU.
public actor LoginRateLimiter {
    public struct Limits: Sendable {
        public var perUser: Int
        public var perAddress: Int
        public var window: Duration

        public init(perUser: Int = 5, perAddress: Int = 30, window: Duration = .seconds(900)) {
            self.perUser = perUser
            self.perAddress = perAddress
            self.window = window
        }
    }

    private let limits: Limits
    private var failures: [String: [ContinuousClock.Instant]] = [:]
    private let clock = ContinuousClock()

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Seconds until another attempt is allowed, or nil when one is allowed now.
    public func retryAfter(address: String, username: String) -> Int? {
        let now = clock.now
        prune(now)
        let user = failures[Self.key(address, username)] ?? []
        let all = failures[Self.key(address, nil)] ?? []
        var waits: [Duration] = []
        if user.count >= limits.perUser, let oldest = user.first { waits.append(oldest + limits.window - now) }
        if all.count >= limits.perAddress, let oldest = all.first { waits.append(oldest + limits.window - now) }
        guard let wait = waits.max() else { return nil }
        return max(1, Int(wait.components.seconds) + 1)
    }

    public func recordFailure(address: String, username: String) {
        let now = clock.now
        failures[Self.key(address, username), default: []].append(now)
        failures[Self.key(address, nil), default: []].append(now)
    }

    /// A successful login clears that user's count from that address.
    public func recordSuccess(address: String, username: String) {
        failures[Self.key(address, username)] = nil
    }

    private func prune(_ now: ContinuousClock.Instant) {
        let cutoff = now - limits.window
        failures = failures.compactMapValues { times in
            let kept = times.filter { $0 > cutoff }
            return kept.isEmpty ? nil : kept
        }
    }

    private static func key(_ address: String, _ username: String?) -> String {
        username.map { "\(address)\u{0}\($0.lowercased())" } ?? address
    }
}
