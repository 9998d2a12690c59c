import HTTPServer

/// `GET /metrics` (SPEC §4, issue 7): the Prometheus text exposition of a ``MetricsRegistry``.
///
/// A `.plain` handler on a worker thread rather than a `.database` one: it borrows a pooled
/// connection only when the cached database gauges are stale, so a scrape during a database
/// outage or pool exhaustion still answers with the pool's wait and timeout counters.
public enum MetricsController {
    /// The handler serving `registry` (``MetricsRegistry/shared`` in the route table).
    public static func handler(for registry: MetricsRegistry)
        -> @Sendable (HTTPRequest) throws -> HTTPResponse
    {
        { _ in .text(registry.exposition(), contentType: PrometheusExposition.contentType) }
    }
}
