import Synchronization

/// Delivery attempts and latency in this process (issue 14): counted by the delivery workers,
/// written into `/metrics` beside the database's deliveries-by-state gauge.
public final class DeliveryMetrics: Sendable {
    /// How an attempt ended (the `outcome` label).
    public enum Outcome: String, Sendable, CaseIterable {
        case delivered
        /// Failed, pending again.
        case retried
        case dead
    }

    /// Upper bounds (seconds) of the latency histogram: from the event's delivery being written
    /// to the receiver accepting it, retries included.
    public static let latencyBuckets: [Double] = [
        0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21_600,
    ]

    private struct State {
        var attempts = [UInt64](repeating: 0, count: Outcome.allCases.count)
        var buckets = [UInt64](repeating: 0, count: DeliveryMetrics.latencyBuckets.count)
        var latencySum = 0.0
        var latencyCount: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Counts one attempt; `latency` (seconds since the delivery was written) for a delivered one.
    public func record(_ outcome: Outcome, latency: Double? = nil) {
        state.withLock { state in
            state.attempts[Outcome.allCases.firstIndex(of: outcome)!] += 1
            guard let latency else { return }
            if let bucket = Self.latencyBuckets.firstIndex(where: { latency <= $0 }) {
                state.buckets[bucket] += 1
            }
            state.latencySum += latency
            state.latencyCount += 1
        }
    }

    /// Attempts so far that ended with `outcome`.
    public func attempts(_ outcome: Outcome) -> UInt64 {
        state.withLock { $0.attempts[Outcome.allCases.firstIndex(of: outcome)!] }
    }

    /// `incidentd_delivery_attempts_total{outcome}` and `incidentd_delivery_latency_seconds`.
    func write(to exposition: inout PrometheusExposition) {
        let snapshot = state.withLock { $0 }
        exposition.family(
            "incidentd_delivery_attempts_total", .counter,
            help: "Delivery attempts made by this process, by outcome (delivered, retried, dead).")
        for (index, outcome) in Outcome.allCases.enumerated() {
            exposition.sample(
                "incidentd_delivery_attempts_total", [("outcome", outcome.rawValue)],
                Double(snapshot.attempts[index]))
        }
        let name = "incidentd_delivery_latency_seconds"
        exposition.family(
            name, .histogram,
            help: "Time from a delivery being written to its receiver accepting it, in seconds.")
        var cumulative: UInt64 = 0
        for (bound, count) in zip(Self.latencyBuckets, snapshot.buckets) {
            cumulative += count
            exposition.sample(
                name + "_bucket", [("le", PrometheusExposition.format(bound))], Double(cumulative))
        }
        exposition.sample(name + "_bucket", [("le", "+Inf")], Double(snapshot.latencyCount))
        exposition.sample(name + "_sum", [], snapshot.latencySum)
        exposition.sample(name + "_count", [], Double(snapshot.latencyCount))
    }
}
