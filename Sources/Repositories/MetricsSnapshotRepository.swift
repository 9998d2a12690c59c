import Domain
import Foundation
import Postgres

/// The database-backed gauges of `GET /metrics` (issue 7), read in one statement.
///
/// Every count is answered from a partial or leading-column index (`alerts_status_id`,
/// `incidents_open_id`, `incidents_sla_breached`, `postmortems_status_id`), so a scrape costs
/// a few index scans; the API caches the result for a few seconds on top of that.
public struct MetricsSnapshotRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// What one read returns. Severities without rows are absent (callers print zeros).
    public struct Snapshot: Sendable, Hashable {
        /// Alerts not resolved, by alert severity and status (`triggered`, `acknowledged`).
        public var openAlerts: [AlertKey: Int]
        /// Incidents not resolved, by severity.
        public var openIncidents: [IncidentSeverity: Int]
        /// Incidents ever marked `sla_breached`, by their current severity.
        public var slaBreachedIncidents: [IncidentSeverity: Int]
        /// Post-mortems not yet published, by status.
        public var unpublishedPostMortems: [PostMortemStatus: Int]
        /// Deliveries by state (`pending`, `dead`, `cancelled`; delivered ones are counted by the
        /// workers' attempt counters, so the scrape never counts the whole outbox).
        public var deliveries: [String: Int] = [:]

        public init(
            openAlerts: [AlertKey: Int] = [:], openIncidents: [IncidentSeverity: Int] = [:],
            slaBreachedIncidents: [IncidentSeverity: Int] = [:],
            unpublishedPostMortems: [PostMortemStatus: Int] = [:]
        ) {
            self.openAlerts = openAlerts
            self.openIncidents = openIncidents
            self.slaBreachedIncidents = slaBreachedIncidents
            self.unpublishedPostMortems = unpublishedPostMortems
        }
    }

    /// An open alert's severity and status.
    public struct AlertKey: Sendable, Hashable {
        public var severity: AlertSeverity
        public var status: AlertStatus

        public init(severity: AlertSeverity, status: AlertStatus) {
            self.severity = severity
            self.status = status
        }
    }

    /// Reads the snapshot. Rows with values outside the CHECK constraints cannot exist, so
    /// unknown labels are skipped rather than failing the scrape.
    public func snapshot() throws -> Snapshot {
        let rows = try connection.query(
            """
            SELECT 'alert' AS family, severity AS a, status AS b, count(*) AS n FROM alerts
              WHERE status IN ('triggered', 'acknowledged') GROUP BY severity, status
            UNION ALL
            SELECT 'incident', severity, '', count(*) FROM incidents WHERE status <> 'resolved' GROUP BY severity
            UNION ALL
            SELECT 'breached', severity, '', count(*) FROM incidents WHERE sla_breached GROUP BY severity
            UNION ALL
            SELECT 'postmortem', status, '', count(*) FROM postmortems WHERE status IN ('draft', 'in_review')
              GROUP BY status
            UNION ALL
            SELECT 'delivery', state, '', count(*) FROM deliveries WHERE state IN ('pending', 'dead', 'cancelled')
              GROUP BY state
            """)
        var snapshot = Snapshot()
        for row in rows {
            let family: String = try row.decode("family")
            let first: String = try row.decode("a")
            let second: String = try row.decode("b")
            let count: Int = try row.decode("n")
            switch family {
            case "alert":
                if let severity = AlertSeverity(rawValue: first), let status = AlertStatus(rawValue: second) {
                    snapshot.openAlerts[AlertKey(severity: severity, status: status)] = count
                }
            case "incident":
                if let severity = IncidentSeverity(rawValue: first) {
                    snapshot.openIncidents[severity] = count
                }
            case "delivery":
                snapshot.deliveries[first] = count
            case "breached":
                if let severity = IncidentSeverity(rawValue: first) {
                    snapshot.slaBreachedIncidents[severity] = count
                }
            default:
                if let status = PostMortemStatus(rawValue: first) {
                    snapshot.unpublishedPostMortems[status] = count
                }
            }
        }
        return snapshot
    }
}
