import Domain
import Foundation
import Postgres

/// The incident metrics report (issue 7, seed 003 "Incident Metrics"), computed in SQL over
/// the indexed `incidents.detected_at`: aggregates and percentiles come back, rows never do.
public struct ReportRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// MTTD, MTTA, MTTR (mean, p50, p90), counts and SLA breaches overall and per severity,
    /// incidents per week, and post-mortem completion for the incidents detected in `window`.
    /// Post-mortem due dates follow `policy`, measured at `now`.
    public func incidentMetrics(_ window: Window, policy: SLAPolicy, now: Date) throws -> IncidentMetrics {
        var bySeverity = Dictionary(uniqueKeysWithValues: IncidentSeverity.allCases.map { ($0, Group.empty) })
        var overall = Group.empty
        for row in try connection.query(groupsQuery(window)) {
            let group = try Self.group(row)
            let isTotal: Int = try row.decode("is_total")
            if isTotal == 1 {
                overall = group
            } else if let severity = IncidentSeverity(rawValue: try row.decode("severity")) {
                bySeverity[severity] = group
            }
        }
        return IncidentMetrics(
            window: window, overall: overall, bySeverity: bySeverity, perWeek: try weeks(window),
            completion: try completion(window, policy: policy, now: now),
            postMortemSeverities: policy.postMortemSeverities.sorted())
    }

    /// ` AND severity = ANY(...)` for a severity filter, nothing without one.
    static func severityCondition(_ window: Window, column: StaticString) -> PostgresQuery {
        guard !window.severities.isEmpty else { return "" }
        return " AND \(sql: column) = ANY(\(window.severities.map(\.rawValue).sorted()))"
    }

    /// One row per severity present and one total row (`is_total = 1`), by GROUPING SETS.
    /// Durations are seconds as float8; NULL timestamps drop out of `avg` and `percentile_cont`.
    private func groupsQuery(_ window: Window) -> PostgresQuery {
        """
        WITH w AS (
            SELECT severity, sla_breached,
                   extract(epoch FROM detected_at - started_at)::float8 AS ttd,
                   extract(epoch FROM acknowledged_at - detected_at)::float8 AS tta,
                   extract(epoch FROM resolved_at - detected_at)::float8 AS ttr
            FROM incidents
            WHERE detected_at >= \(window.from) AND detected_at < \(window.to)\(
                Self.severityCondition(window, column: "severity"))
        )
        SELECT severity, GROUPING(severity) AS is_total, count(*) AS incidents,
               count(*) FILTER (WHERE sla_breached) AS sla_breaches,
               \(sql: Self.ttdStatistics), \(sql: Self.ttaStatistics), \(sql: Self.ttrStatistics)
        FROM w GROUP BY GROUPING SETS ((severity), ())
        """
    }

    // The aggregate columns of each duration (`ttd_n`, `ttd_mean`, `ttd_p50`, `ttd_p90`, ...).
    private static let ttdStatistics: StaticString = """
        count(ttd) AS ttd_n, avg(ttd) AS ttd_mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY ttd) AS ttd_p50,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY ttd) AS ttd_p90
        """
    private static let ttaStatistics: StaticString = """
        count(tta) AS tta_n, avg(tta) AS tta_mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY tta) AS tta_p50,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY tta) AS tta_p90
        """
    private static let ttrStatistics: StaticString = """
        count(ttr) AS ttr_n, avg(ttr) AS ttr_mean, percentile_cont(0.5) WITHIN GROUP (ORDER BY ttr) AS ttr_p50,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY ttr) AS ttr_p90
        """

    private static func group(_ row: PostgresRow) throws -> Group {
        func durations(_ prefix: String) throws -> Durations {
            Durations(
                count: try row.decode("\(prefix)_n"), mean: try row.decode("\(prefix)_mean"),
                p50: try row.decode("\(prefix)_p50"), p90: try row.decode("\(prefix)_p90"))
        }
        return Group(
            incidents: try row.decode("incidents"), timeToDetect: try durations("ttd"),
            timeToAcknowledge: try durations("tta"), timeToResolve: try durations("ttr"),
            slaBreaches: try row.decode("sla_breaches"))
    }

    /// Incidents per ISO week (UTC), every week from the one containing `from` to the one
    /// containing the last instant before `to`, zeros included.
    private func weeks(_ window: Window) throws -> [Week] {
        let rows = try connection.query(
            """
            WITH counts AS (
                SELECT date_trunc('week', detected_at AT TIME ZONE 'UTC') AS week, count(*) AS n
                FROM incidents
                WHERE detected_at >= \(window.from) AND detected_at < \(window.to)\(
                    Self.severityCondition(window, column: "severity"))
                GROUP BY 1
            )
            SELECT to_char(gs.week, 'YYYY-MM-DD') AS week_start, coalesce(c.n, 0) AS incidents
            FROM generate_series(date_trunc('week', \(window.from) AT TIME ZONE 'UTC'),
                                 \(window.to) AT TIME ZONE 'UTC', interval '1 week') AS gs(week)
            LEFT JOIN counts c ON c.week = gs.week
            WHERE gs.week < \(window.to) AT TIME ZONE 'UTC'
            ORDER BY gs.week
            """)
        return try rows.map { row in
            let text: String = try row.decode("week_start")
            guard let start = CalendarDate(parsing: text) else {
                throw PostgresError(.decoding, message: "unreadable week \(text)", column: "week_start")
            }
            return Week(start: start, incidents: try row.decode("incidents"))
        }
    }

    /// Post-mortem completion for the required severities (``Completion``).
    private func completion(_ window: Window, policy: SLAPolicy, now: Date) throws -> Completion {
        let rows = try connection.query(
            """
            SELECT count(*) AS due, count(*) FILTER (WHERE p.status = 'published') AS published
            FROM incidents i LEFT JOIN postmortems p ON p.incident_id = i.id
            WHERE i.detected_at >= \(window.from) AND i.detected_at < \(window.to)\(
                Self.severityCondition(window, column: "i.severity"))
              AND i.resolved_at IS NOT NULL
              AND (p.status = 'published' OR \(PostMortemRepository.dueAt(policy: policy)) <= \(now))
              AND i.severity = ANY(\(policy.postMortemSeverities.map(\.rawValue).sorted()))
            """)
        return Completion(due: try rows[0].decode("due"), published: try rows[0].decode("published"))
    }
}
