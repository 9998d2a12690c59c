import Domain
import Foundation
import Postgres

/// An open public incident as the status page shows it: the incident, when it was made
/// public, and its public status updates, newest first.
public struct PublicIncident: Sendable {
    public let incident: Incident
    public let publishedAt: Date
    public let updates: [TimelineEntry]
}

extension IncidentPublicationRepository {
    /// Open public incidents, newest first, each with its public status updates (never the
    /// private ones, nor any other timeline entry: SPEC §13). Two queries.
    public func openPublicIncidents() throws -> [PublicIncident] {
        let rows = try connection.query(
            """
            SELECT \(sql: IncidentRepository.columns), p.published_at
            FROM incidents i JOIN incident_publications p ON p.incident_id = i.id
            WHERE i.status <> 'resolved' ORDER BY i.id DESC
            """)
        guard !rows.isEmpty else { return [] }
        var incidents: [(Incident, Date)] = []
        for row in rows {
            incidents.append((try IncidentRepository.incident(row), try row.decode("published_at")))
        }
        let ids = incidents.map(\.0.id)
        var updates: [Int64: [TimelineEntry]] = [:]
        for row in try connection.query(
            """
            SELECT \(sql: TimelineRepository.columns) FROM timeline_entries
            WHERE incident_id = ANY(\(ids)) AND kind = \(TimelineEntryKind.statusUpdate.rawValue)
              AND data->'public' = 'true'::jsonb
            ORDER BY occurred_at DESC, id DESC
            """)
        {
            let entry = try TimelineRepository.entry(row)
            if let id = entry.incidentID { updates[id, default: []].append(entry) }
        }
        return incidents.map {
            PublicIncident(incident: $0.0, publishedAt: $0.1, updates: updates[$0.0.id] ?? [])
        }
    }

    /// Sends the update-due reminders of SPEC §13/§14: for each open public SEV1/SEV2 incident
    /// whose last public update (or publication) is older than `next_update_minutes`, one
    /// `incident.update_due` event per interval missed since, exactly once across processes
    /// (rows claimed with `FOR UPDATE SKIP LOCKED`, `reminders_sent` moved in the same
    /// transaction). Returns how many incidents it claimed and events it appended.
    public func sendDueReminders(now: Date, limit: Int) throws -> (incidents: Int, events: Int) {
        let rows = try connection.query(
            """
            SELECT p.incident_id, p.last_public_update_at, p.next_update_minutes, p.reminders_sent
            FROM incident_publications p JOIN incidents i ON i.id = p.incident_id
            WHERE i.status <> 'resolved' AND i.severity IN ('SEV1', 'SEV2')
              AND p.last_public_update_at
                  + make_interval(secs => p.next_update_minutes * 60 * (p.reminders_sent + 1)) <= \(now)
            ORDER BY p.incident_id LIMIT \(limit)
            FOR UPDATE OF p SKIP LOCKED
            """)
        var sent = 0
        for row in rows {
            let id: Int64 = try row.decode("incident_id")
            let last: Date = try row.decode("last_public_update_at")
            let minutes: Double = try row.decode("next_update_minutes")
            let already: Int = try row.decode("reminders_sent")
            let missed = Int((now.timeIntervalSince(last) / (minutes * 60)).rounded(.down))
            guard missed > already, let incident = try IncidentRepository(connection).find(id: id) else {
                continue
            }
            var events: [NewEvent] = []
            for interval in (already + 1)...missed {
                let dueAt = last.addingTimeInterval(Double(interval) * minutes * 60)
                events.append(
                    .incident(
                        .incidentUpdateDue, incident, actor: TimelineEntry.systemActor,
                        extra: [
                            "missed_intervals": .integer(Int64(interval)),
                            "due_at": .string(dueAt.formatted(.iso8601)),
                            "last_public_update_at": .string(last.formatted(.iso8601)),
                            "next_update_minutes": .number(minutes),
                        ]))
            }
            try EventRepository(connection).append(events, now: now)
            try connection.execute(
                "UPDATE incident_publications SET reminders_sent = \(missed) WHERE incident_id = \(id)")
            sent += events.count
        }
        return (rows.count, sent)
    }
}
