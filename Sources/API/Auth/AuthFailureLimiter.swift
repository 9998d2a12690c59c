import Foundation
import Synchronization

/// Counts failed authentications per remote address and refuses an address (429) that failed
/// more than `maxFailures` times within `window` seconds, for `blockFor` seconds (SPEC §5,
/// seed 004's threshold: 10 in 5 minutes).
///
/// Kept in each process's memory: it slows guessing, it is not needed for correctness, and a
/// database row per failed attempt would let an attacker turn guessing into write load.
/// Several processes behind a load balancer each allow their own budget (docs/SECURITY.md).
public final class AuthFailureLimiter: Sendable {
    /// Addresses tracked at most; beyond, the oldest entries are dropped so memory is bounded.
    public static let maxTrackedAddresses = 100_000

    private struct Entry {
        var failures: [TimeInterval] = []
        var blockedUntil: TimeInterval = 0
    }

    private let maxFailures: Int
    private let window: TimeInterval
    private let blockFor: TimeInterval
    private let entries = Mutex<[String: Entry]>([:])
    /// The latest `blockedUntil` of any address, in milliseconds since 1970 (rounded up): once
    /// the clock passed it no address is blocked, and the check every request makes needs no
    /// lock (it showed as lock contention in the ingest profile, docs/PERFORMANCE.md).
    private let latestBlockMilliseconds = Atomic<Int64>(0)

    public init(maxFailures: Int, window: TimeInterval, blockFor: TimeInterval) {
        self.maxFailures = maxFailures
        self.window = window
        self.blockFor = blockFor
    }

    /// Seconds until `address` may try again, or nil when it may try now.
    public func retryAfter(address: String, now: Date = Date()) -> Int? {
        let time = now.timeIntervalSince1970
        guard Int64((time * 1000).rounded(.down)) < latestBlockMilliseconds.load(ordering: .acquiring) else {
            return nil
        }
        return entries.withLock { entries in
            guard let entry = entries[address], entry.blockedUntil > time else { return nil }
            return max(1, Int((entry.blockedUntil - time).rounded(.up)))
        }
    }

    /// Records a failed attempt from `address`.
    public func recordFailure(address: String, now: Date = Date()) {
        let time = now.timeIntervalSince1970
        entries.withLock { entries in
            if entries.count >= Self.maxTrackedAddresses && entries[address] == nil {
                entries = entries.filter { $0.value.blockedUntil > time }
                if entries.count >= Self.maxTrackedAddresses { entries.removeAll(keepingCapacity: true) }
            }
            var entry = entries[address] ?? Entry()
            entry.failures.removeAll { $0 <= time - window }
            entry.failures.append(time)
            if entry.failures.count > maxFailures {
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
        }
    }
}
