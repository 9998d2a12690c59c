import Domain
import Postgres
import Repositories

extension MetricsRegistry {
    /// The database pool's gauges and counters (`PostgresPool.Stats`).
    static func writePool(_ stats: PostgresPool.Stats, to exposition: inout PrometheusExposition) {
        exposition.family(
            "incidentd_db_pool_connections", .gauge, help: "Database pool connections now, by state.")
        exposition.sample("incidentd_db_pool_connections", [("state", "in_use")], stats.inUse)
        exposition.sample("incidentd_db_pool_connections", [("state", "idle")], stats.idle)
        let gauges: [(String, String, Int)] = [
            (
                "incidentd_db_pool_max_connections", "Largest number of database connections the pool opens.",
                stats.maxConnections
            ),
            ("incidentd_db_pool_waiting", "Requests waiting for a database connection now.", stats.waiting),
        ]
        for (name, help, value) in gauges {
            exposition.family(name, .gauge, help: help)
            exposition.sample(name, [], value)
        }
        let counters: [(String, String, Int)] = [
            ("incidentd_db_pool_waits_total", "Connection acquisitions that had to wait.", stats.waitCount),
            (
                "incidentd_db_pool_timeouts_total", "Connection acquisitions that gave up (answered 503).",
                stats.timeouts
            ),
            (
                "incidentd_db_pool_broken_connections_total", "Connections closed because they broke.",
                stats.brokenConnections
            ),
            (
                "incidentd_db_pool_connect_failures_total", "Failed attempts to open a connection.",
                stats.connectFailures
            ),
        ]
        for (name, help, value) in counters {
            exposition.family(name, .counter, help: help)
            exposition.sample(name, [], value)
        }
    }

    /// The database-backed gauges, every label value present (zeros included) so series do not
    /// vanish when a count drops to zero.
    func writeDatabase(_ cached: CachedSnapshot, to exposition: inout PrometheusExposition) {
        exposition.family(
            "incidentd_metrics_database_up", .gauge,
            help: "1 if the last read of the database gauges worked, 0 if they are stale.")
        exposition.sample("incidentd_metrics_database_up", [], cached.succeeded ? 1 : 0)
        guard let snapshot = cached.snapshot else { return }
        exposition.family(
            "incidentd_open_alerts", .gauge, help: "Alerts not resolved, by severity and status.")
        for severity in AlertSeverity.allCases {
            for status in [AlertStatus.triggered, .acknowledged] {
                let key = MetricsSnapshotRepository.AlertKey(severity: severity, status: status)
                exposition.sample(
                    "incidentd_open_alerts", [("severity", severity.rawValue), ("status", status.rawValue)],
                    snapshot.openAlerts[key] ?? 0)
            }
        }
        exposition.family("incidentd_open_incidents", .gauge, help: "Incidents not resolved, by severity.")
        for severity in IncidentSeverity.allCases {
            exposition.sample(
                "incidentd_open_incidents", [("severity", severity.rawValue)],
                snapshot.openIncidents[severity] ?? 0)
        }
        exposition.family(
            "incidentd_incidents_sla_breached", .gauge,
            help: "Incidents whose acknowledgement deadline passed (SLA breaches), by current severity.")
        for severity in IncidentSeverity.allCases {
            exposition.sample(
                "incidentd_incidents_sla_breached", [("severity", severity.rawValue)],
                snapshot.slaBreachedIncidents[severity] ?? 0)
        }
        exposition.family(
            "incidentd_postmortems_unpublished", .gauge, help: "Post-mortems not yet published, by status.")
        for status in [PostMortemStatus.draft, .inReview] {
            exposition.sample(
                "incidentd_postmortems_unpublished", [("status", status.rawValue)],
                snapshot.unpublishedPostMortems[status] ?? 0)
        }
        Self.writeDeliveries(snapshot, to: &exposition)
    }

    /// Deliveries waiting, dead or cancelled in the outbox (issue 14), every state present.
    static func writeDeliveries(
        _ snapshot: MetricsSnapshotRepository.Snapshot, to exposition: inout PrometheusExposition
    ) {
        exposition.family(
            "incidentd_deliveries", .gauge,
            help:
                "Deliveries in the outbox by state (pending, dead, cancelled); delivered ones are counted by attempts."
        )
        for state in ["pending", "dead", "cancelled"] {
            exposition.sample("incidentd_deliveries", [("state", state)], snapshot.deliveries[state] ?? 0)
        }
    }

    /// Group commit (ADR 0004) and whether the credential cache is trusted (ADR 0003).
    static func writeCaching(
        groupCommit: GroupCommitStats?, credentialsHeard: Bool?, to exposition: inout PrometheusExposition
    ) {
        if let groupCommit {
            exposition.family(
                "incidentd_group_commit_batches_total", .counter,
                help: "Shared transactions run for alert triggers (a batch of one is a request alone).")
            exposition.sample("incidentd_group_commit_batches_total", [], groupCommit.batches)
            exposition.family(
                "incidentd_group_commit_statements_total", .counter,
                help: "Alert triggers run in shared transactions.")
            exposition.sample("incidentd_group_commit_statements_total", [], groupCommit.requests)
        }
        if let credentialsHeard {
            exposition.family(
                "incidentd_credential_cache_listening", .gauge,
                help: "1 while credential changes are heard and checked keys are served from memory.")
            exposition.sample("incidentd_credential_cache_listening", [], credentialsHeard ? 1 : 0)
        }
    }
}
