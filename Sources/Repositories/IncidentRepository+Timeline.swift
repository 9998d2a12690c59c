import Domain
import Foundation
import Postgres

extension IncidentRepository {
    /// One page of incident `id`'s timeline in the order things happened (`occurred_at`, then
    /// `id`), `limit` entries after the page `cursor` ended.
    ///
    /// The timeline holds the incident's own entries and every entry of its alerts, also those
    /// written before the alert joined (its trigger) or by the alert routes without the
    /// incident's id; an entry carrying both ids is listed once. Throws a validation error
    /// naming `cursor` when it is not a timeline cursor of an existing entry.
    public func timeline(id: Int64, limit: Int, cursor: String?) throws -> RepositoryPage<TimelineEntry> {
        var after: PostgresQuery = ""
        if let cursor {
            guard let lastID = TimelineCursor.decode(cursor),
                try connection.query("SELECT 1 FROM timeline_entries WHERE id = \(lastID)").count == 1
            else { throw ValidationError(field: "cursor", message: "is not a cursor of this list") }
            // Entries are never updated or deleted, so the cursor's row still holds its position.
            after =
                " AND (occurred_at, id) > (SELECT occurred_at, id FROM timeline_entries WHERE id = \(lastID))"
        }
        // Two index scans (timeline_entries_incident, timeline_entries_alert), each already in
        // order and cut at the page size, merged.
        let query: PostgresQuery = """
            SELECT \(sql: TimelineRepository.columns) FROM (
                (SELECT \(sql: TimelineRepository.columns) FROM timeline_entries
                 WHERE incident_id = \(id)\(after) ORDER BY occurred_at, id LIMIT \(limit + 1))
                UNION ALL
                (SELECT \(sql: TimelineRepository.columns) FROM timeline_entries
                 WHERE incident_id IS NULL AND alert_id IN (SELECT a.id FROM alerts a WHERE a.incident_id = \(id))
                 \(after) ORDER BY occurred_at, id LIMIT \(limit + 1))
            ) e ORDER BY occurred_at, id LIMIT \(limit + 1)
            """
        let entries = try connection.query(query).map(TimelineRepository.entry)
        let page = Array(entries.prefix(limit))
        let next = entries.count > limit ? page.last.map { TimelineCursor.encode(id: $0.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }

    /// Adds a responder's note to incident `id` (allowed in every status, also after
    /// resolution: ``IncidentTransition/addNote(status:)``), possibly back-dated; moves the
    /// incident's `updated_at` so pollers see it, and appends an `incident.note_added` event.
    /// Throws `.notFound`.
    public func addNote(id: Int64, note: TimelineNote, actor: String, now: Date) throws -> TimelineEntry {
        let touched = try connection.query(
            """
            WITH i AS (UPDATE incidents SET updated_at = \(now) WHERE id = \(id) RETURNING *)
            SELECT \(sql: Self.columns) FROM i
            """)
        guard let row = touched.first else {
            throw DomainError.notFound(.incident, EntityRef.incident(id).description)
        }
        let incident = try Self.incident(row)
        let entry = try TimelineRepository(connection).append(
            .note(note, actor: actor), to: .incident(id), now: now)
        try EventRepository(connection).append(
            .incident(
                .incidentNoteAdded, incident, actor: actor,
                extra: ["note": .string(entry.body), "timeline_entry_id": .integer(entry.id)]),
            now: now)
        return entry
    }
}
