import Domain
import Foundation
import Postgres

/// SQL for incidents made public and their status updates (SPEC §13): `incident_publications`
/// and the `status_update` timeline entries that carry `data.public`. Runs inside the caller's
/// transaction (ADR 0002).
public struct IncidentPublicationRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Marks incident `id` public (PATCH `{public: true}`): a `field_changed` entry and an
    /// `incident.updated` event, once. Returns the incident; false for `changed` when it
    /// already was public. Throws `.notFound`.
    public func publish(id: Int64, actor: String, now: Date) throws -> (incident: Incident, changed: Bool) {
        let incidents = IncidentRepository(connection)
        let locked = try incidents.lock(id: id)
        let inserted = try connection.query(
            """
            INSERT INTO incident_publications (incident_id, published_at, published_by, last_public_update_at)
            VALUES (\(id), \(now), \(actor), \(now))
            ON CONFLICT (incident_id) DO NOTHING RETURNING incident_id
            """)
        guard !inserted.isEmpty else { return (locked, false) }
        let updated = try incidents.update(
            "UPDATE incidents SET updated_at = \(now) WHERE id = \(id) RETURNING *")
        try TimelineRepository(connection).append(
            .fieldChanged(field: "public", from: "false", to: "true", actor: actor), to: .incident(id),
            now: now)
        try EventRepository(connection).append(
            .incident(
                .incidentUpdated, updated, actor: actor,
                extra: [
                    "changes": .array([.object(["field": "public", "from": .bool(false), "to": .bool(true)])])
                ]),
            now: now)
        return (updated, true)
    }

    /// Whether incident `id` is public.
    public func isPublic(id: Int64) throws -> Bool {
        try !connection.query("SELECT 1 FROM incident_publications WHERE incident_id = \(id)").isEmpty
    }

    /// Records a status update on incident `incident` (already locked or just changed): a
    /// `status_update` entry whose data holds `status`, `public` and `next_update_minutes`, and
    /// an `incident.status_update` event. A public one restarts the update-due clock.
    public func addStatusUpdate(
        to incident: Incident, status: IncidentStatus, body: String, isPublic: Bool,
        nextUpdateMinutes: Double,
        actor: String, now: Date
    ) throws -> TimelineEntry {
        let data: [String: JSONValue] = [
            "status": .string(status.rawValue), "public": .bool(isPublic),
            "next_update_minutes": .number(nextUpdateMinutes),
        ]
        let entry = try TimelineRepository(connection).append(
            NewTimelineEntry(kind: .statusUpdate, actor: actor, body: body, data: data),
            to: .incident(incident.id), now: now)
        if isPublic {
            try connection.execute(
                """
                UPDATE incident_publications SET last_public_update_at = \(now), reminders_sent = 0,
                    next_update_minutes = \(nextUpdateMinutes)
                WHERE incident_id = \(incident.id)
                """)
        }
        var extra = data
        extra["message"] = .string(body)
        extra["entry_id"] = .integer(entry.id)
        try EventRepository(connection).append(
            .incident(.incidentStatusUpdate, incident, actor: actor, extra: extra), now: now)
        return entry
    }
}
