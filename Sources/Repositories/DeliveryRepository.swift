import Domain
import Foundation
import Postgres

/// SQL for `deliveries` (SPEC §9), the outbox: listing and redelivery for the API here, the
/// worker's claim and record in `DeliveryRepository+Worker.swift`. Deliveries are written by
/// the statements that append events (``EventFanOutSQL``) and by ``enqueue(eventID:channelID:now:)``.
public struct DeliveryRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// A pending delivery of event `eventID` to channel `channelID`, due now (the `test` event).
    public func enqueue(eventID: Int64, channelID: Int64, now: Date) throws -> DeliveryRecord {
        let rows = try connection.query(
            """
            WITH d AS (
                INSERT INTO deliveries (event_id, channel_id, next_attempt_at, created_at, updated_at)
                VALUES (\(eventID), \(channelID), \(now), \(now), \(now)) RETURNING *)
            SELECT \(sql: DeliveryRecord.columns) FROM d
            """)
        return try DeliveryRecord(row: rows[0])
    }

    /// The delivery with this id.
    public func find(id: Int64) throws -> DeliveryRecord? {
        try connection.query("SELECT \(sql: DeliveryRecord.columns) FROM deliveries d WHERE d.id = \(id)")
            .first
            .map(DeliveryRecord.init(row:))
    }

    /// Deliveries matching `filter`, newest first, `limit` after the page that ended with id `before`.
    public func list(_ filter: DeliveryListFilter, before: Int64?, limit: Int) throws
        -> (deliveries: [DeliveryRecord], hasMore: Bool)
    {
        var query: PostgresQuery = "SELECT \(sql: DeliveryRecord.columns) FROM deliveries d WHERE true"
        if let before { query.append(" AND d.id < \(before)") }
        if let state = filter.state { query.append(" AND d.state = \(state.rawValue)") }
        if let channelID = filter.channelID { query.append(" AND d.channel_id = \(channelID)") }
        if let eventID = filter.eventID { query.append(" AND d.event_id = \(eventID)") }
        query.append(" ORDER BY d.id DESC LIMIT \(limit + 1)")
        let rows = try connection.query(query).map(DeliveryRecord.init(row:))
        return (Array(rows.prefix(limit)), rows.count > limit)
    }

    /// SPEC §9 `POST /deliveries/{id}/redeliver`: a delivered or dead delivery is pending again,
    /// due now, with a fresh backoff schedule (attempts back to 0) and the same id, so receivers
    /// see the same `webhook-id`. Throws `.notFound`, or `.conflict` for a pending or cancelled one.
    public func redeliver(id: Int64, now: Date) throws -> DeliveryRecord {
        guard
            let current = try connection.query(
                "SELECT \(sql: DeliveryRecord.columns) FROM deliveries d WHERE d.id = \(id) FOR UPDATE OF d"
            ).first.map(DeliveryRecord.init(row:))
        else { throw DomainError.notFound(.delivery, String(id)) }
        guard current.state == .delivered || current.state == .dead else {
            throw DomainError.conflict(
                "Delivery \(id) is \(current.state.rawValue); only a delivered or dead one can be sent again."
            )
        }
        let rows = try connection.query(
            """
            WITH d AS (
                UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = \(now), delivered_at = NULL,
                                      updated_at = \(now)
                WHERE id = \(id) RETURNING *)
            SELECT \(sql: DeliveryRecord.columns) FROM d
            """)
        return try DeliveryRecord(row: rows[0])
    }
}
