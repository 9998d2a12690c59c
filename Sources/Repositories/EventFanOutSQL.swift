/// The transactional outbox's fan-out (SPEC §9): the SQL every statement that appends events
/// ends with, so an event and its deliveries commit together and the alert-ingest batch stays
/// one statement (docs/adr/0005-event-log-order-and-outbox.md says why this is SQL in the statement rather
/// than a trigger on `events`).
enum EventFanOutSQL {
    /// A CTE (`fanned_out`) that writes one pending delivery per enabled channel whose filters
    /// match each row of the CTE `ev` (columns `id`, `type`, `service_ids`, `severity`, `data`).
    ///
    /// A channel matches when one of its `events` filters names the type, its family (`incident.*`)
    /// or `*`; its `service_ids` are empty or share a service with the event; and the event has no
    /// severity or one at least as bad as `min_severity`. `test` events are never fanned out (the
    /// test route writes its one delivery itself), and a `delivery.dead` event does not go back to
    /// the channel whose delivery died (a dead page's has `channel_id` null and goes to every
    /// channel that asks for it: hence IS DISTINCT FROM, not `<>`, which null would make unknown).
    /// With no enabled channel this is a join with an empty set: nearly free on the ingest path.
    static let deliveries: StaticString = """
        fanned_out AS (
            INSERT INTO deliveries (event_id, channel_id)
            SELECT e.id, c.id
            FROM ev e JOIN channels c
              ON c.enabled
             AND e.type <> 'test'
             AND (e.type = ANY (c.events) OR split_part(e.type, '.', 1) || '.*' = ANY (c.events)
                  OR '*' = ANY (c.events))
             AND (cardinality(c.service_ids) = 0 OR e.service_ids && c.service_ids)
             AND (e.severity IS NULL
                  OR incidentd_severity_rank(e.severity) <= incidentd_severity_rank(c.min_severity))
             AND (e.type <> 'delivery.dead' OR e.data ->> 'channel_id' IS DISTINCT FROM c.id::text)
            ORDER BY e.id, c.id
        )
        """
}
