import Domain
import Foundation
import Postgres

/// SQL for `timeline_entries` (SPEC §3): append-only entries on incidents, alerts and services.
/// Runs inside the caller's transaction, so an entry commits with the change it records.
public struct TimelineRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Appends `entry` about `subject`. `occurred_at` is the entry's own time when it has one
    /// (back-dated notes), else `now`; `created_at` is always `now`.
    @discardableResult
    public func append(_ entry: NewTimelineEntry, to subject: TimelineSubject, now: Date) throws
        -> TimelineEntry
    {
        let data = PostgresJSON(try JSONText.object(entry.data))
        let rows = try connection.query(
            """
            INSERT INTO timeline_entries (incident_id, alert_id, service_id, kind, actor, body, data,
                                          occurred_at, created_at)
            VALUES (\(subject.incidentID), \(subject.alertID), \(subject.serviceID), \(entry.kind.rawValue),
                    \(entry.actor), \(entry.body), \(data), \(entry.occurredAt ?? now), \(now))
            RETURNING \(sql: Self.columns)
            """)
        return try Self.entry(rows[0])
    }

    /// Appends several entries in one statement (the escalation worker's batch), each with
    /// `occurred_at` and `created_at` = `now`.
    func appendAll(_ entries: [(entry: NewTimelineEntry, subject: TimelineSubject)], now: Date) throws {
        guard !entries.isEmpty else { return }
        // 0 stands for none: arrays of binds hold no NULLs (ids start at 1).
        let incidents = entries.map { $0.subject.incidentID ?? 0 }
        let alerts = entries.map { $0.subject.alertID ?? 0 }
        let services = entries.map { $0.subject.serviceID ?? 0 }
        let kinds = entries.map(\.entry.kind.rawValue)
        let actors = entries.map(\.entry.actor)
        let bodies = entries.map(\.entry.body)
        let data = try entries.map { try JSONText.object($0.entry.data) }
        try connection.execute(
            """
            INSERT INTO timeline_entries (incident_id, alert_id, service_id, kind, actor, body, data,
                                          occurred_at, created_at)
            SELECT NULLIF(r.incident_id, 0), NULLIF(r.alert_id, 0), NULLIF(r.service_id, 0), r.kind, r.actor,
                   r.body, r.data::jsonb, \(now), \(now)
            FROM unnest(\(incidents), \(alerts), \(services), \(kinds), \(actors), \(bodies), \(data))
                 WITH ORDINALITY AS r(incident_id, alert_id, service_id, kind, actor, body, data, n)
            ORDER BY r.n
            """)
    }

    /// One page of a timeline in the order things happened (`occurred_at`, then `id`), `limit`
    /// entries after the page `cursor` ended. Throws a validation error naming `cursor` when it
    /// is not a timeline cursor.
    public func list(_ scope: TimelineScope, limit: Int, cursor: String?) throws -> RepositoryPage<
        TimelineEntry
    > {
        var query: PostgresQuery
        switch scope {
        case .incident(let id):
            query = "SELECT \(sql: Self.columns) FROM timeline_entries WHERE incident_id = \(id)"
        case .alert(let id):
            query = "SELECT \(sql: Self.columns) FROM timeline_entries WHERE alert_id = \(id)"
        case .service(let id):
            query = "SELECT \(sql: Self.columns) FROM timeline_entries WHERE service_id = \(id)"
        }
        if let cursor {
            guard let lastID = TimelineCursor.decode(cursor) else {
                throw ValidationError(field: "cursor", message: "is not a cursor of this list")
            }
            // Entries are never updated or deleted, so the cursor's row still holds its position.
            query.append(
                """
                 AND (occurred_at, id) > (SELECT occurred_at, id FROM timeline_entries WHERE id = \(lastID))
                """)
        }
        query.append(" ORDER BY occurred_at, id LIMIT \(limit + 1)")
        let entries = try connection.query(query).map(Self.entry)
        let page = Array(entries.prefix(limit))
        let next = entries.count > limit ? page.last.map { TimelineCursor.encode(id: $0.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }

    static let columns: StaticString =
        "id, incident_id, alert_id, service_id, kind, actor, body, data, occurred_at, created_at"

    static func entry(_ row: PostgresRow) throws -> TimelineEntry {
        let kindText: String = try row.decode("kind")
        guard let kind = TimelineEntryKind(rawValue: kindText) else {
            throw PostgresError(.decoding, message: "unknown timeline entry kind \(kindText)", column: "kind")
        }
        return TimelineEntry(
            id: try row.decode("id"), incidentID: try row.decode("incident_id"),
            alertID: try row.decode("alert_id"),
            serviceID: try row.decode("service_id"), kind: kind, actor: try row.decode("actor"),
            body: try row.decode("body"),
            data: try row.decode("data", as: PostgresJSON.self).decode(as: [String: JSONValue].self),
            occurredAt: try row.decode("occurred_at"), createdAt: try row.decode("created_at"))
    }
}
