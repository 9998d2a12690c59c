import Synchronization

/// Where alerts come in (the `source` label of `incidentd_alerts_ingested_total`): one value
/// per ingestion route family, never the free-text `source` of an alert, so the series stay
/// few.
public enum AlertIngestionSource: String, Sendable, CaseIterable {
    /// `POST /api/v1/alerts`.
    case api
    /// `POST /v2/enqueue` (PagerDuty Events API v2).
    case pagerduty
    /// `POST /api/v1/integrations/alertmanager` (one per entry of `alerts[]`).
    case alertmanager
    /// The seed runbook routes (`POST /alerts/trigger`).
    case runbook
    /// `POST /v2/alerts` (Opsgenie Alert API v2).
    case opsgenie

    /// The source of a request by the route it matched; nil for routes that ingest nothing.
    public init?(routePattern: String?) {
        switch routePattern {
        case "/api/v1/alerts": self = .api
        case "/v2/enqueue": self = .pagerduty
        case "/api/v1/integrations/alertmanager": self = .alertmanager
        case "/alerts/trigger": self = .runbook
        case "/v2/alerts": self = .opsgenie
        default: return nil
        }
    }
}

/// Counts alert events accepted per source, since the process started (issue 7). Thread-safe
/// and cheap (one lock, one array slot): call it from the ingestion path after the trigger
/// committed or inside the request, once per alert event.
public final class AlertIngestionMetrics: Sendable {
    private let counts = Mutex([UInt64](repeating: 0, count: AlertIngestionSource.allCases.count))

    public init() {}

    /// Adds `count` accepted alert events from `source`.
    public func record(_ source: AlertIngestionSource, count: Int = 1) {
        guard count > 0, let index = AlertIngestionSource.allCases.firstIndex(of: source) else { return }
        counts.withLock { $0[index] += UInt64(count) }
    }

    /// The count for `source`.
    public func count(_ source: AlertIngestionSource) -> UInt64 {
        guard let index = AlertIngestionSource.allCases.firstIndex(of: source) else { return 0 }
        return counts.withLock { $0[index] }
    }

    /// Writes `incidentd_alerts_ingested_total`, every source present (zero until its first
    /// alert) so `rate()` sees the series from the start.
    func write(to exposition: inout PrometheusExposition) {
        let snapshot = counts.withLock { $0 }
        exposition.family(
            "incidentd_alerts_ingested_total", .counter,
            help: "Alert events accepted since start, by ingestion source.")
        for (index, source) in AlertIngestionSource.allCases.enumerated() {
            exposition.sample(
                "incidentd_alerts_ingested_total", [("source", source.rawValue)], Double(snapshot[index]))
        }
    }
}
