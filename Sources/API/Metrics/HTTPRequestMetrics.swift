import HTTPServer
import Synchronization

/// Counts answered requests by route pattern, method and status, and their durations in a
/// histogram by route pattern and method (issue 7).
///
/// ``record(_:)`` is the server's request observer and runs on an event-loop thread for every
/// request, so it only takes one lock and updates two dictionary entries in place: the label
/// strings are shared with the request (no copies), and a new entry is allocated only the first
/// time a label set appears. Label values are bounded: route
/// patterns, not paths (`unmatched` for 404s and protocol errors), and the standard methods
/// (`other` for any other token), so a scanner cannot grow the series without limit.
public final class HTTPRequestMetrics: Sendable {
    /// Histogram upper bounds in seconds, from 1 ms (a cached GET) to 10 s (a stuck query).
    public static let durationBuckets: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    /// The route label of requests that matched no route.
    public static let unmatchedRoute = "unmatched"
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    struct CounterKey: Hashable, Sendable {
        var route: String
        var method: String
        var status: Int
    }

    struct HistogramKey: Hashable, Sendable {
        var route: String
        var method: String
    }

    /// Per-bucket counts (not cumulative; the exposition adds them up), sum and count.
    struct Histogram: Sendable {
        var buckets: [UInt64] = Array(repeating: 0, count: HTTPRequestMetrics.durationBuckets.count)
        var sum: Double = 0
        var count: UInt64 = 0
    }

    struct State: Sendable {
        var requests: [CounterKey: UInt64] = [:]
        var durations: [HistogramKey: Histogram] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Records one answered request (the HTTPServer observer).
    public func record(_ request: CompletedRequest) {
        let route = request.routePattern ?? Self.unmatchedRoute
        let method = Self.knownMethods.contains(request.method.rawValue) ? request.method.rawValue : "other"
        let components = request.duration.components
        let seconds = Double(components.seconds) + Double(components.attoseconds) * 1e-18
        // First bucket whose bound holds the duration; past the last, only +Inf (count) holds it.
        let bucket = Self.durationBuckets.firstIndex { seconds <= $0 }
        state.withLock { state in
            state.requests[CounterKey(route: route, method: method, status: request.status), default: 0] += 1
            state.durations[HistogramKey(route: route, method: method), default: Histogram()].record(
                seconds, bucket: bucket)
        }
    }

    /// A consistent copy of the counters, for one scrape.
    func snapshot() -> State { state.withLock { $0 } }

    /// Writes `incidentd_http_requests_total` and `incidentd_http_request_duration_seconds`,
    /// series sorted so consecutive scrapes read alike.
    func write(to exposition: inout PrometheusExposition) {
        let state = snapshot()
        exposition.family(
            "incidentd_http_requests_total", .counter,
            help: "HTTP requests answered, by route pattern, method and status.")
        let requestKeys = state.requests.keys.sorted {
            ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status)
        }
        for key in requestKeys {
            exposition.sample(
                "incidentd_http_requests_total",
                [("route", key.route), ("method", key.method), ("status", String(key.status))],
                Double(state.requests[key] ?? 0))
        }
        let name = "incidentd_http_request_duration_seconds"
        exposition.family(
            name, .histogram, help: "Time from a complete request to its queued response, in seconds.")
        for key in state.durations.keys.sorted(by: { ($0.route, $0.method) < ($1.route, $1.method) }) {
            guard let histogram = state.durations[key] else { continue }
            let labels = [("route", key.route), ("method", key.method)]
            var cumulative: UInt64 = 0
            for (bound, count) in zip(Self.durationBuckets, histogram.buckets) {
                cumulative += count
                exposition.sample(
                    name + "_bucket", labels + [("le", PrometheusExposition.format(bound))],
                    Double(cumulative))
            }
            exposition.sample(name + "_bucket", labels + [("le", "+Inf")], Double(histogram.count))
            exposition.sample(name + "_sum", labels, histogram.sum)
            exposition.sample(name + "_count", labels, Double(histogram.count))
        }
    }
}

extension HTTPRequestMetrics.Histogram {
    /// Adds one observation; `bucket` nil means above every finite bound.
    mutating func record(_ seconds: Double, bucket: Int?) {
        if let bucket { buckets[bucket] += 1 }
        sum += seconds
        count += 1
    }
}
