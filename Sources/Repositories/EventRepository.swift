import Domain
import Foundation
import Postgres

/// SQL for the event log (SPEC §8). Runs inside the caller's transaction (ADR 0002): every
/// repository operation that changes state appends its events here, on the same connection, so
/// the change, its timeline entries, its events and their deliveries commit together.
///
/// - ``append(_:now:)``: one statement for any number of events, fan-out included.
/// - ``list(_:limit:)``: the log in its order, (xid, id), final rows only (docs/adr/0005-event-log-order-and-outbox.md).
/// - ``find(id:)``.
public struct EventRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Appends `events` in order, each with `occurred_at = now`, and the deliveries their
    /// matching channels get (``EventFanOutSQL``), in one statement. Returns the new ids, in order.
    @discardableResult
    public func append(_ events: [NewEvent], now: Date) throws -> [Int64] {
        guard !events.isEmpty else { return [] }
        var types: [String] = [], actors: [String] = [], kinds: [String] = [], subjectIDs: [Int64] = []
        var refs: [String] = [], incidentIDs: [Int64] = [], serviceIDs: [Int64] = [], names: [String] = []
        var ofIncident: [Int64] = [], severities: [String] = [], data: [String] = []
        for event in events {
            types.append(event.type.rawValue)
            actors.append(event.actor)
            kinds.append(event.subject.kind)
            // 0 and "" stand for none (serial ids start at 1): arrays of binds hold no NULLs.
            subjectIDs.append(event.subject.id ?? 0)
            refs.append(event.subject.ref ?? "")
            incidentIDs.append(event.incidentID ?? 0)
            switch event.services {
            case .none:
                serviceIDs.append(0)
                names.append("")
                ofIncident.append(0)
            case .one(let id, let name):
                serviceIDs.append(id)
                names.append(name)
                ofIncident.append(0)
            case .ofIncident(let id):
                serviceIDs.append(0)
                names.append("")
                ofIncident.append(id)
            }
            severities.append(event.severity ?? "")
            data.append(try JSONText.object(event.data))
        }
        let rows = try connection.query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(types), \(actors), \(kinds), \(subjectIDs), \(refs), \(incidentIDs),
                                     \(serviceIDs), \(names), \(ofIncident), \(severities), \(data))
                     WITH ORDINALITY AS r(type, actor, subject_kind, subject_id, subject_ref, incident_id,
                                          service_id, service_name, of_incident, severity, data, n)
            ), ev AS (
                INSERT INTO events (occurred_at, actor, type, subject_kind, subject_id, subject_ref, incident_id,
                                    service, service_ids, severity, data)
                SELECT \(now), r.actor, r.type, r.subject_kind, NULLIF(r.subject_id, 0), NULLIF(r.subject_ref, ''),
                       NULLIF(r.incident_id, 0),
                       CASE WHEN r.of_incident <> 0
                            THEN (SELECT i.service_names[1] FROM incidents i WHERE i.id = r.of_incident)
                            ELSE NULLIF(r.service_name, '') END,
                       CASE WHEN r.of_incident <> 0
                            THEN ARRAY(SELECT x.service_id FROM incident_services x
                                       WHERE x.incident_id = r.of_incident ORDER BY x.service_id)
                            WHEN r.service_id <> 0 THEN ARRAY[r.service_id]
                            ELSE '{}'::bigint[] END,
                       NULLIF(r.severity, ''), r.data::jsonb
                FROM input r ORDER BY r.n
                RETURNING id, type, service_ids, severity, data
            ), \(sql: EventFanOutSQL.deliveries)
            SELECT id FROM ev ORDER BY id
            """)
        return try rows.map { try $0.decode("id") }
    }

    /// Appends one event; returns its id.
    @discardableResult
    public func append(_ event: NewEvent, now: Date) throws -> Int64 {
        try append([event], now: now)[0]
    }

    /// The event with this id, final or not.
    public func find(id: Int64) throws -> Event? {
        try connection.query("SELECT \(sql: Self.columns) FROM events e WHERE e.id = \(id)").first.map(
            Self.event)
    }

    /// Columns every event query selects; `e` is `events`.
    static let columns: StaticString = """
        e.id, e.type, e.occurred_at, e.actor, e.subject_kind, e.subject_id, e.subject_ref, e.incident_id,
        e.service, e.service_ids, e.severity, e.data
        """

    /// Decodes a row selected with ``columns``.
    static func event(_ row: PostgresRow) throws -> Event {
        Event(
            id: try row.decode("id"), type: try row.decode("type"), occurredAt: try row.decode("occurred_at"),
            actor: try row.decode("actor"),
            subject: EventSubject(
                kind: try row.decode("subject_kind"), id: try row.decode("subject_id"),
                ref: try row.decode("subject_ref")),
            incidentID: try row.decode("incident_id"), service: try row.decode("service"),
            serviceIDs: try row.decode("service_ids"), severity: try row.decode("severity"),
            data: try row.decode("data", as: PostgresJSON.self).decode(as: [String: JSONValue].self))
    }
}
