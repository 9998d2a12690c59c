import Domain
import Foundation
import Postgres

/// A delivery a worker has claimed: one attempt it alone may send.
public struct ClaimedDelivery: Sendable {
    public let id: Int64
    /// This attempt's number (1 for the first): the claim counted it.
    public let attempt: Int
    public let createdAt: Date
    public let event: Event
    /// A channel, or a paged person's contact method.
    public let target: DeliveryTarget
}

/// How an attempt ended, as the worker records it.
public struct DeliveryAttemptRecord: Sendable {
    public enum Result: Sendable, Equatable {
        case delivered
        /// Pending again, due at this time.
        case retry(at: Date)
        case dead(disableChannel: Bool)
    }

    public let result: Result
    public let status: Int?
    public let error: String?

    public init(result: Result, status: Int?, error: String?) {
        self.result = result
        self.status = status
        self.error = error
    }
}

extension DeliveryRepository {
    /// Claims up to `limit` due pending deliveries of enabled channels and of contact methods
    /// (pages) with `FOR UPDATE SKIP LOCKED` (processes claiming at once take disjoint rows) and
    /// counts an attempt on each, due again after `lease` seconds, in due order (equal due times
    /// in index order: ordering them by id as well made PostgreSQL sort every due delivery on
    /// each claim, 5 ms for a backlog of 10,000, instead of reading ten entries of
    /// `deliveries_due`; the batch is sent in id order). Run it in a transaction of its own and
    /// commit before sending: a process killed before it records the outcome leaves the delivery
    /// to be claimed again when the lease ends (at least once, same `webhook-id`), and no two
    /// processes hold one attempt. A page cancelled by an acknowledgement is no longer pending,
    /// so it is never claimed.
    public func claim(now: Date, limit: Int, lease: TimeInterval) throws -> [ClaimedDelivery] {
        let leaseEnd = now.addingTimeInterval(lease)
        let claimed = try connection.query(
            """
            WITH due AS (
                SELECT d.id FROM deliveries d LEFT JOIN channels c ON c.id = d.channel_id
                WHERE d.state = 'pending' AND d.next_attempt_at <= \(now)
                  AND (c.enabled OR d.contact_method_id IS NOT NULL)
                ORDER BY d.next_attempt_at LIMIT \(limit)
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE deliveries d SET attempts = d.attempts + 1, next_attempt_at = \(leaseEnd),
                                    last_attempt_at = \(now), updated_at = \(now)
            FROM due WHERE d.id = due.id
            RETURNING d.id, d.attempts, d.created_at, d.event_id, d.channel_id, d.contact_method_id
            """)
        guard !claimed.isEmpty else { return [] }
        struct Row {
            let id: Int64, attempt: Int, createdAt: Date, eventID: Int64, channelID: Int64?, methodID: Int64?
        }
        let rows = try claimed.map {
            Row(
                id: try $0.decode("id"), attempt: try $0.decode("attempts"),
                createdAt: try $0.decode("created_at"),
                eventID: try $0.decode("event_id"), channelID: try $0.decode("channel_id"),
                methodID: try $0.decode("contact_method_id"))
        }
        let events = try connection.query(
            "SELECT \(sql: EventRepository.columns) FROM events e WHERE e.id = ANY(\(rows.map(\.eventID)))"
        ).map(EventRepository.event)
        let channels = try connection.query(
            "SELECT \(sql: ChannelRecord.columns) FROM channels c WHERE c.id = ANY(\(rows.compactMap(\.channelID)))"
        ).map(ChannelRecord.init(row:))
        let methods = try contactMethods(rows.compactMap(\.methodID))
        let eventsByID = Dictionary(uniqueKeysWithValues: events.map { ($0.id, $0) })
        let channelsByID = Dictionary(uniqueKeysWithValues: channels.map { ($0.id, $0) })
        return rows.sorted { $0.id < $1.id }.compactMap { row in
            guard let event = eventsByID[row.eventID] else { return nil }
            let target: DeliveryTarget
            if let channel = row.channelID.flatMap({ channelsByID[$0] }) {
                target = .channel(channel)
            } else if let method = row.methodID.flatMap({ methods[$0] }) {
                target = .contactMethod(method)
            } else {
                return nil
            }
            return ClaimedDelivery(
                id: row.id, attempt: row.attempt, createdAt: row.createdAt, event: event, target: target)
        }
    }

    /// The contact methods with these ids, secrets included, by id.
    private func contactMethods(_ ids: [Int64]) throws -> [Int64: ContactMethodDestination] {
        guard !ids.isEmpty else { return [:] }
        var methods: [Int64: ContactMethodDestination] = [:]
        for row in try connection.query(
            "SELECT id, user_id, kind, address, secret FROM contact_methods WHERE id = ANY(\(ids))")
        {
            let kindText: String = try row.decode("kind")
            guard let kind = ChannelKind(rawValue: kindText) else {
                throw PostgresError(
                    .decoding, message: "unknown contact method kind \(kindText)", column: "kind")
            }
            let id: Int64 = try row.decode("id")
            methods[id] = ContactMethodDestination(
                id: id, userID: try row.decode("user_id"), kind: kind, address: try row.decode("address"),
                secret: try row.decode("secret"))
        }
        return methods
    }

    /// Records how attempt `delivery.attempt` ended. Only the claim that made this attempt may
    /// record it: when the delivery was claimed again meanwhile (its lease ended) or redelivered,
    /// nothing is written and false is returned. A dead delivery appends its `delivery.dead` event
    /// (SPEC §14; not for a delivery of a `delivery.dead` event, which would chain), and a 410
    /// disables the channel, in the same transaction.
    @discardableResult
    public func record(_ delivery: ClaimedDelivery, _ attempt: DeliveryAttemptRecord, now: Date) throws
        -> Bool
    {
        try recordAll([(delivery, attempt)], now: now).contains(delivery.id)
    }

    /// ``record(_:_:now:)`` for several attempts in one statement (a worker's batch); returns
    /// the ids it recorded (the others were claimed again or redelivered meanwhile).
    public func recordAll(_ attempts: [(ClaimedDelivery, DeliveryAttemptRecord)], now: Date) throws
        -> Set<Int64>
    {
        guard !attempts.isEmpty else { return [] }
        struct Row: Encodable {
            let id: Int64
            let attempt: Int
            let state: String
            /// Unix seconds of the next attempt (pending) or of now.
            let next: Double
            let status: Int?
            let error: String?
        }
        let rows = attempts.map { delivery, attempt -> Row in
            let state: String
            var next = now
            switch attempt.result {
            case .delivered: state = "delivered"
            case .retry(let at):
                state = "pending"
                next = at
            case .dead: state = "dead"
            }
            return Row(
                id: delivery.id, attempt: delivery.attempt, state: state, next: next.timeIntervalSince1970,
                status: attempt.status, error: attempt.error)
        }
        // `d.id = ANY(ids)` lets PostgreSQL find the rows by primary key: joined only with the
        // function's rows (estimated at 100), it read the whole table, 2 ms for ten rows.
        let updated: Set<Int64> = Set(
            try connection.query(
                """
                UPDATE deliveries d
                SET state = v.state, next_attempt_at = to_timestamp(v.next), last_status = v.status,
                    last_error = v.error, updated_at = \(now),
                    delivered_at = CASE WHEN v.state = 'delivered' THEN \(now) END
                FROM jsonb_to_recordset(\(try PostgresJSON(encoding: rows)))
                     AS v(id int8, attempt int4, state text, next float8, status int4, error text)
                WHERE d.id = v.id AND d.id = ANY(\(rows.map(\.id))) AND d.attempts = v.attempt
                  AND d.state = 'pending'
                RETURNING d.id
                """
            ).map { try $0.decode("id") })
        for (delivery, attempt) in attempts where updated.contains(delivery.id) {
            guard case .dead(let disable) = attempt.result else { continue }
            // A contact method has nothing to disable: its later pages are tried on their own.
            if disable, let channelID = delivery.target.channelID {
                try ChannelRepository(connection).disable(
                    id: channelID,
                    reason:
                        "the receiver answered \(attempt.status.map(String.init) ?? "410") Gone; delivery \(delivery.id) is dead",
                    now: now)
            }
            if delivery.event.type != EventType.deliveryDead.rawValue {
                try EventRepository(connection).append(
                    .deliveryDead(
                        deliveryID: delivery.id, channelID: delivery.target.channelID,
                        contactMethodID: delivery.target.contactMethodID, eventID: delivery.event.id,
                        lastStatus: attempt.status, lastError: attempt.error),
                    now: now)
            }
        }
        return updated
    }

    /// The target's earlier delivered mails about `incidentID` before delivery `before`, oldest
    /// first: the thread a new mail replies to (SPEC §9, §14), per channel or per contact method.
    public func thread(target: DeliveryTarget, incidentID: Int64, before: Int64) throws -> [Int64] {
        let column: StaticString = target.channelID != nil ? "channel_id" : "contact_method_id"
        return try connection.query(
            """
            SELECT d.id FROM events e JOIN deliveries d ON d.event_id = e.id
            WHERE e.incident_id = \(incidentID) AND d.\(sql: column) = \(target.channelID ?? target.contactMethodID)
              AND d.id < \(before) AND d.state = 'delivered'
            ORDER BY d.id
            """
        ).map { try $0.decode("id") }
    }

    /// Pending deliveries due at `now` (for the worker's wake-up decisions and tests).
    public func dueCount(now: Date) throws -> Int {
        try connection.query(
            "SELECT count(*)::int8 AS n FROM deliveries WHERE state = 'pending' AND next_attempt_at <= \(now)"
        )[0].decode("n")
    }
}
