import Foundation
import Synchronization

/// Counts failed authentications per client address and marks an address that failed more
/// than `maxFailures` times within `window` seconds as over its budget for `blockFor` seconds
/// (SPEC §5, seed 004's threshold: 10 in 5 minutes). Over budget, the address's failures are
/// answered 429 instead of 401 and no longer counted; valid credentials from it are never
/// refused (issue 20: behind a proxy one sender's typos must not stop everyone's alerts).
///
/// Kept in each process's memory: it slows guessing, it is not needed for correctness, and a
/// database row per failed attempt would let an attacker turn guessing into write load.
/// Several processes behind a load balancer each allow their own budget (docs/SECURITY.md).
public final class AuthFailureLimiter: Sendable {
    /// Addresses tracked at most; beyond, the oldest entries are dropped so memory is bounded.
    public static let maxTrackedAddresses = 100_000
    /// Crossings kept for ``takeCrossings()`` at most.
    public static let maxPendingCrossings = 1_000

    /// An address that failed more than the budget within the window and was just blocked.
    public struct Crossing: Sendable, Equatable {
        public let address: String
        /// Failures counted within the window at that moment (the budget + 1).
        public let failures: Int
        public let at: Date
    }

    private struct Entry {
        var failures: [TimeInterval] = []
        var blockedUntil: TimeInterval = 0
    }

    public let maxFailures: Int
    public let window: TimeInterval
    private let blockFor: TimeInterval
    private let entries = Mutex<[String: Entry]>([:])
    /// Addresses that went over the budget and are not yet taken by ``takeCrossings()``.
    private let crossings = Mutex<[Crossing]>([])
    /// The latest `blockedUntil` of any address, in milliseconds since 1970 (rounded up): once
    /// the clock passed it no address is blocked, and the check every request makes needs no
    /// lock (it showed as lock contention in the ingest profile, docs/PERFORMANCE.md).
    private let latestBlockMilliseconds = Atomic<Int64>(0)

    public init(maxFailures: Int, window: TimeInterval, blockFor: TimeInterval) {
        self.maxFailures = maxFailures
        self.window = window
        self.blockFor = blockFor
    }

    /// Seconds until `address` may try again, or nil when it may try now. `address` is only
    /// worked out while some address is blocked: every request with credentials asks, and
    /// cutting the port off the peer's address showed in the cached-poll profile.
    public func retryAfter(address: @autoclosure () -> String, now: Date = Date()) -> Int? {
        let time = now.timeIntervalSince1970
        guard Int64((time * 1000).rounded(.down)) < latestBlockMilliseconds.load(ordering: .acquiring) else {
            return nil
        }
        let address = address()
        return entries.withLock { entries in
            guard let entry = entries[address], entry.blockedUntil > time else { return nil }
            return max(1, Int((entry.blockedUntil - time).rounded(.up)))
        }
    }

    /// Records a failed attempt from `address`.
    public func recordFailure(address: String, now: Date = Date()) {
        let time = now.timeIntervalSince1970
        let crossed: Crossing? = entries.withLock { entries in
            if entries.count >= Self.maxTrackedAddresses && entries[address] == nil {
                entries = entries.filter { $0.value.blockedUntil > time }
                if entries.count >= Self.maxTrackedAddresses { entries.removeAll(keepingCapacity: true) }
            }
            var entry = entries[address] ?? Entry()
            // Already over the budget: refused as such, not counted again (one crossing, one
            // alert, per block).
            if entry.blockedUntil > time { return nil }
            entry.failures.removeAll { $0 <= time - window }
            entry.failures.append(time)
            var crossing: Crossing?
            if entry.failures.count > maxFailures {
                crossing = Crossing(address: address, failures: entry.failures.count, at: now)
                entry.blockedUntil = time + blockFor
                entry.failures.removeAll()
                let until = Int64((entry.blockedUntil * 1000).rounded(.up))
                var latest = latestBlockMilliseconds.load(ordering: .relaxed)
                while latest < until {
                    let exchange = latestBlockMilliseconds.compareExchange(
                        expected: latest, desired: until, ordering: .releasing)
                    if exchange.exchanged { break }
                    latest = exchange.original
                }
            }
            entries[address] = entry
            return crossing
        }
        if let crossed { queue(crossed) }
    }

    /// The addresses that went over the budget since the last call, oldest first (seed 004's
    /// "failed auth attempts > 10 in 5 minutes"): the App raises an internal alert for each,
    /// on a background thread, never on the request's.
    public func takeCrossings() -> [Crossing] {
        crossings.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }

    private func queue(_ crossing: Crossing) {
        crossings.withLock { pending in
            // Bounded: an address crosses at most once per block, but a flood of addresses could
            // outrun a stalled alert job; the newest are dropped, the ones already queued kept.
            if pending.count < Self.maxPendingCrossings { pending.append(crossing) }
        }
    }
}
