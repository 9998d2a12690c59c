import Domain
import Foundation
import Postgres

extension PostMortemRepository {
    /// Columns of `postmortems p` every read selects; the incident is joined as `i`.
    static let columns: StaticString = """
        p.id, p.incident_id, p.status, p.incident_date::text AS incident_date, p.duration_minutes,
        p.severity, p.summary, p.impact, p.detection_at, p.response_initiated_at,
        p.root_cause_identified_at, p.mitigation_applied_at, p.resolution_confirmed_at, p.root_cause,
        p.went_well, p.went_wrong, p.got_lucky, p.prevention, p.published_at, p.created_at, p.updated_at,
        i.title AS incident_title
        """

    /// `SELECT ... FROM postmortems p JOIN incidents i`, with the derived `due_at`; callers
    /// append the `WHERE`.
    static func select(policy: SLAPolicy) -> PostgresQuery {
        """
        SELECT \(sql: columns), \(dueAt(policy: policy)) AS due_at
        FROM postmortems p JOIN incidents i ON i.id = p.incident_id
        """
    }

    /// SQL for when incident `i`'s post-mortem is due: ``SLAPolicy/postMortemDue(resolvedAt:severity:)``
    /// written in SQL, NULL for severities that need none and for open incidents.
    static func dueAt(policy: SLAPolicy) -> PostgresQuery {
        let severities = policy.postMortemSeverities.map(\.rawValue).sorted()
        return """
            (CASE WHEN i.resolved_at IS NOT NULL AND i.severity = ANY(\(severities))
                  THEN i.resolved_at + make_interval(secs => \(policy.postMortemWindow)) END)
            """
    }

    /// Decodes a row selected with ``select(policy:)``; action items are left empty.
    static func record(_ row: PostgresRow) throws -> PostMortemRecord {
        let statusText: String = try row.decode("status")
        guard let status = PostMortemStatus(rawValue: statusText) else {
            throw PostgresError(
                .decoding, message: "unknown post-mortem status \(statusText)", column: "status")
        }
        let severityText: String = try row.decode("severity")
        guard let severity = IncidentSeverity(rawValue: severityText) else {
            throw PostgresError(.decoding, message: "unknown severity \(severityText)", column: "severity")
        }
        let dateText: String = try row.decode("incident_date")
        guard let date = CalendarDate(parsing: dateText) else {
            throw PostgresError(.decoding, message: "unreadable date \(dateText)", column: "incident_date")
        }
        let moments = KeyMoments(
            detection: try row.decode("detection_at"),
            responseInitiated: try row.decode("response_initiated_at"),
            rootCauseIdentified: try row.decode("root_cause_identified_at"),
            mitigationApplied: try row.decode("mitigation_applied_at"),
            resolutionConfirmed: try row.decode("resolution_confirmed_at"))
        let lessons = Lessons(
            wentWell: try row.decode("went_well"), wentWrong: try row.decode("went_wrong"),
            gotLucky: try row.decode("got_lucky"))
        let postMortem = PostMortem(
            id: try row.decode("id"), incidentID: try row.decode("incident_id"), status: status, date: date,
            durationMinutes: try row.decode("duration_minutes"), severity: severity,
            impact: try row.decode("impact"),
            summary: try row.decode("summary"), keyMoments: moments, rootCause: try row.decode("root_cause"),
            lessons: lessons, prevention: try row.decode("prevention"), dueAt: try row.decode("due_at"),
            publishedAt: try row.decode("published_at"), createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at"))
        return PostMortemRecord(postMortem: postMortem, incidentTitle: try row.decode("incident_title"))
    }
}
