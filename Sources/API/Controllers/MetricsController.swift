import Crypto
import HTTPServer

/// `GET /metrics` (SPEC §4, issue 7): the Prometheus text exposition of a ``MetricsRegistry``.
///
/// A `.plain` handler on a worker thread rather than a `.database` one: it borrows a pooled
/// connection only when the cached database gauges are stale, so a scrape during a database
/// outage or pool exhaustion still answers with the pool's wait and timeout counters.
public enum MetricsController {
    /// The route table's handler: open, unless `APISettings.metricsToken` is set, in which case
    /// a scrape must send it as `Authorization: Bearer <token>` (SPEC §5: metrics may be
    /// restricted by config).
    @Sendable static func serve(_ request: HTTPRequest, _ environment: APIEnvironment) throws -> HTTPResponse
    {
        if let token = environment.settings.metricsToken {
            let presented = request.headers["Authorization"].flatMap { header -> String? in
                let parts = header.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
                return String(parts[1])
            }
            guard let presented, Crypto.constantTimeEquals(Crypto.sha256(presented), Crypto.sha256(token))
            else {
                var headers = HTTPHeaders()
                headers.set(name: "WWW-Authenticate", value: "Bearer realm=\"incidentd-metrics\"")
                throw ProblemDetails(
                    status: 401,
                    detail: "Scraping /metrics needs the configured metrics token as a Bearer token.",
                    headers: headers)
            }
        }
        return .text(environment.metrics.exposition(), contentType: PrometheusExposition.contentType)
    }
}
