import Domain
import Foundation
import Postgres

extension IncidentRepository {
    /// Most incidents one SLA job pass escalates in one transaction.
    public static let defaultEscalationBatch = 100

    /// Marks up to `limit` open, unacknowledged incidents whose `ack_due_at` is before `now` as
    /// `sla_breached`, each with exactly one `escalated` entry (SPEC §3) and one
    /// `incident.escalated` event (`data.reason` `sla_breach`), and returns them.
    ///
    /// Rows are claimed with `FOR UPDATE SKIP LOCKED`: processes running the job at once take
    /// disjoint incidents, and a row another process escalated meanwhile fails the re-check of
    /// `NOT sla_breached` that READ COMMITTED applies after the lock, so no incident is escalated
    /// twice. Run it in a transaction of its own (`pool.withTransaction`).
    public func escalateOverdue(now: Date, limit: Int = defaultEscalationBatch) throws -> [Incident] {
        let rows = try connection.query(
            """
            WITH due AS (
                SELECT id FROM incidents
                WHERE acknowledged_at IS NULL AND NOT sla_breached AND status <> 'resolved'
                  AND ack_due_at < \(now)
                ORDER BY ack_due_at LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ), i AS (
                UPDATE incidents SET sla_breached = true, updated_at = \(now)
                FROM due WHERE incidents.id = due.id
                RETURNING incidents.*
            )
            SELECT \(sql: Self.columns) FROM i ORDER BY i.ack_due_at, i.id
            """)
        let escalated = try rows.map(Self.incident)
        let timeline = TimelineRepository(connection)
        for incident in escalated {
            try timeline.append(
                .escalated(severity: incident.severity, ackDueAt: incident.ackDueAt),
                to: .incident(incident.id),
                now: now)
        }
        try EventRepository(connection).append(
            escalated.map { incident in
                .incident(
                    .incidentEscalated, incident, actor: TimelineEntry.systemActor,
                    extra: [
                        "reason": "sla_breach", "ack_due_at": .string(incident.ackDueAt.formatted(.iso8601)),
                    ])
            }, now: now)
        return escalated
    }
}
