import Domain
import Foundation
import Postgres

/// SQL for `heartbeats` (SPEC §12, migration 0013). Runs inside the caller's transaction
/// (ADR 0002); every state change of a heartbeat goes through a method here, and an expiry and
/// its end append `heartbeat.expired` / `heartbeat.recovered` (SPEC §8) in that transaction.
///
/// - ``create(_:serviceID:now:)``, ``find(name:)``, ``list(limit:cursor:)``,
///   ``update(name:patch:serviceID:actor:now:)``, ``delete(name:actor:now:)``.
/// - ``lock(name:)`` then ``recordPing(_:actor:now:)``: a ping (HeartbeatRepository+Ping).
/// - ``expireDue(now:processStartedAt:policy:limit:)``: the expiry job's claim
///   (HeartbeatRepository+Expiry).
public struct HeartbeatRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Creates a heartbeat on the service `serviceID`, armed at `now`; a taken name
    /// (`heartbeats_name_unique`) is a conflict.
    public func create(_ new: NewHeartbeat, serviceID: Int64, now: Date) throws -> HeartbeatRecord {
        do {
            return try read(
                """
                INSERT INTO heartbeats (name, service_id, interval_seconds, grace_seconds, severity, enabled,
                                        armed_at, created_at, updated_at)
                VALUES (\(new.name), \(serviceID), \(Int64(new.intervalSeconds)), \(Int64(new.graceSeconds)),
                        \(new.severity.rawValue), \(new.enabled), \(now), \(now), \(now))
                RETURNING *
                """)
        } catch let error as PostgresError where error.isUniqueViolation(constraint: "heartbeats_name_unique")
        {
            throw DomainError.conflict("A heartbeat named \(new.name) already exists.")
        }
    }

    /// The heartbeat named `name`.
    public func find(name: String) throws -> HeartbeatRecord? {
        try connection.query(
            """
            SELECT \(sql: HeartbeatRecord.columns) FROM heartbeats h JOIN services s ON s.id = h.service_id
            WHERE h.name = \(name)
            """
        ).first.map(HeartbeatRecord.init(row:))
    }

    /// Heartbeats in the order they were created, `limit` per page after the page `cursor`
    /// ended. Throws a validation error naming `cursor` when it is not a heartbeats cursor.
    public func list(limit: Int, cursor: String?) throws -> RepositoryPage<HeartbeatRecord> {
        var query: PostgresQuery = """
            SELECT \(sql: HeartbeatRecord.columns) FROM heartbeats h JOIN services s ON s.id = h.service_id
            WHERE true
            """
        if let cursor {
            guard let lastID = KeysetCursorCoding.decode(tag: Self.cursorTag, cursor) else {
                throw ValidationError(field: "cursor", message: "is not a cursor of this list")
            }
            query.append(" AND h.id > \(lastID)")
        }
        query.append(" ORDER BY h.id LIMIT \(limit + 1)")
        let records = try connection.query(query).map(HeartbeatRecord.init(row:))
        let page = Array(records.prefix(limit))
        let next =
            records.count > limit
            ? page.last.map { KeysetCursorCoding.encode(tag: Self.cursorTag, id: $0.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }

    static let cursorTag = "heartbeats"

    /// Applies a `PATCH`. `serviceID` is the service the patch names, already looked up. An
    /// expired heartbeat that is disabled or moved to another service recovers first (its alert
    /// is resolved by `actor`); one switched from disabled to enabled is armed again at `now`.
    /// Throws `.notFound`.
    public func update(name: String, patch: HeartbeatPatch, serviceID: Int64?, actor: String, now: Date)
        throws
        -> HeartbeatRecord
    {
        guard let locked = try lock(name: name) else { throw DomainError.notFound(.heartbeat, name) }
        let enabled = patch.enabled ?? locked.enabled
        let service = serviceID ?? locked.serviceID
        if locked.expiredAt != nil && (!enabled || service != locked.serviceID) {
            let reason = enabled ? "moved to another service" : "disabled"
            try recover(locked, actor: actor, resolution: "Heartbeat \(locked.name) was \(reason).", now: now)
        }
        let rearm = enabled && !locked.enabled
        let stillExpired = locked.expiredAt != nil && enabled && service == locked.serviceID
        return try read(
            """
            UPDATE heartbeats
            SET service_id = \(service),
                interval_seconds = \(Int64(patch.intervalSeconds ?? locked.intervalSeconds)),
                grace_seconds = \(Int64(patch.graceSeconds ?? locked.graceSeconds)),
                severity = \((patch.severity ?? locked.severity).rawValue), enabled = \(enabled),
                armed_at = \(rearm ? now : locked.armedAt),
                expired_at = \(stillExpired ? locked.expiredAt : nil), alert_id = \(stillExpired ? locked.alertID : nil),
                updated_at = \(now)
            WHERE id = \(locked.id) RETURNING *
            """)
    }

    /// Deletes the heartbeat; an expired one's alert is resolved by `actor` first. Throws
    /// `.notFound`.
    public func delete(name: String, actor: String, now: Date) throws {
        guard let locked = try lock(name: name) else { throw DomainError.notFound(.heartbeat, name) }
        if locked.expiredAt != nil {
            try recover(locked, actor: actor, resolution: "Heartbeat \(locked.name) was deleted.", now: now)
        }
        _ = try connection.execute("DELETE FROM heartbeats WHERE id = \(locked.id)")
    }

    /// The heartbeat named `name`, locked until the transaction ends.
    public func lock(name: String) throws -> HeartbeatRecord? {
        try connection.query(
            """
            SELECT \(sql: HeartbeatRecord.columns) FROM heartbeats h JOIN services s ON s.id = h.service_id
            WHERE h.name = \(name) FOR UPDATE OF h
            """
        ).first.map(HeartbeatRecord.init(row:))
    }

    /// Runs an `INSERT|UPDATE ... RETURNING *` of one heartbeat and reads it back with its
    /// service's name.
    func read(_ statement: PostgresQuery) throws -> HeartbeatRecord {
        let query: PostgresQuery = """
            WITH h AS (\(statement))
            SELECT \(sql: HeartbeatRecord.columns) FROM h JOIN services s ON s.id = h.service_id
            """
        guard let row = try connection.query(query).first else {
            throw PostgresError(.protocolViolation, message: "a heartbeat statement returned no row")
        }
        return try HeartbeatRecord(row: row)
    }
}
