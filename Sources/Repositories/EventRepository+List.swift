import Domain
import Postgres

extension EventRepository {
    /// Up to `limit` events after `filter.after`, in the log order, and whether more are
    /// readable now.
    ///
    /// The log order is (xid, id): the writing transaction's id, then the event id. Only rows
    /// whose xid is below the xmin of this statement's snapshot are returned: every transaction
    /// that could still commit has an xid at or above xmin, so nothing can later appear before
    /// a returned row, and resuming after it never skips an event committed late with a smaller
    /// id (SPEC §8; docs/adr/0005-event-log-order-and-outbox.md). The price: an event becomes readable once
    /// every transaction older than its own has ended.
    ///
    /// Throws a validation error naming `after` when no event has that id.
    public func list(_ filter: EventListFilter, limit: Int) throws -> (events: [Event], hasMore: Bool) {
        var query: PostgresQuery = """
            SELECT \(sql: Self.columns) FROM events e WHERE \(sql: Self.finalRows)
            """
        if let after = filter.after {
            guard try connection.query("SELECT 1 FROM events WHERE id = \(after)").count == 1 else {
                throw ValidationError(field: "after", message: "no event has the id \(after)")
            }
            // The row's position never changes: events are never updated or deleted.
            query.append(" AND (e.xid, e.id) > (SELECT a.xid, a.id FROM events a WHERE a.id = \(after))")
        }
        if !filter.types.isEmpty {
            query.append(
                """
                 AND (e.type = ANY(\(filter.types)) OR split_part(e.type, '.', 1) || '.*' = ANY(\(filter.types))
                      OR '*' = ANY(\(filter.types)))
                """)
        }
        if let serviceID = filter.serviceID { query.append(" AND e.service_ids @> ARRAY[\(serviceID)]") }
        query.append(" ORDER BY e.xid, e.id LIMIT \(limit + 1)")
        let events = try connection.query(query).map(Self.event)
        return (Array(events.prefix(limit)), events.count > limit)
    }
}
