import Foundation
import Postgres

/// One row of the audit log (SPEC §5).
public struct AuditEntry: Sendable, Equatable {
    public var id: Int64 = 0
    public var occurredAt: Date
    public var actorKind: String
    public var actorID: Int64?
    public var actorName: String
    public var action: String
    public var target: String
    public var remoteAddress: String
    public var requestID: String
    public var status: Int

    public init(
        occurredAt: Date, actorKind: String, actorID: Int64?, actorName: String, action: String,
        target: String,
        remoteAddress: String, requestID: String, status: Int
    ) {
        self.occurredAt = occurredAt
        self.actorKind = actorKind
        self.actorID = actorID
        self.actorName = actorName
        self.action = action
        self.target = target
        self.remoteAddress = remoteAddress
        self.requestID = requestID
        self.status = status
    }
}

/// SQL for `audit_log`: append and read.
public struct AuditRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Appends one row.
    public func record(_ entry: AuditEntry) throws {
        _ = try connection.execute(Self.insert(entry))
    }

    /// Appends one row with the COMMIT of the running `withTransaction`, in the same round trip
    /// (`PostgresConnection.executeAtCommit`, issue 5 performance). The row commits with the
    /// transaction or not at all: if the INSERT fails, `withTransaction` rolls back and throws.
    public func recordAtCommit(_ entry: AuditEntry) throws {
        try connection.executeAtCommit(Self.insert(entry))
    }

    /// The INSERT of one row.
    private static func insert(_ entry: AuditEntry) -> PostgresQuery {
        """
        INSERT INTO audit_log (occurred_at, actor_kind, actor_id, actor_name, action, target,
                               remote_address, request_id, status)
        VALUES (\(entry.occurredAt), \(entry.actorKind), \(entry.actorID), \(entry.actorName), \(entry.action),
                \(entry.target), \(entry.remoteAddress), \(entry.requestID), \(entry.status))
        """
    }

    /// Rows after `since` (exclusive), optionally of one actor name, oldest first, after the
    /// row id `after` for paging.
    public func list(since: Date?, actor: String?, after: Int64?, limit: Int) throws -> [AuditEntry] {
        let rows = try connection.query(
            """
            SELECT id, occurred_at, actor_kind, actor_id, actor_name, action, target, remote_address,
                   request_id, status
            FROM audit_log
            WHERE (\(since)::timestamptz IS NULL OR occurred_at > \(since))
              AND (\(actor)::text IS NULL OR actor_name = \(actor))
              AND id > \(after ?? 0)
            ORDER BY id
            LIMIT \(limit)
            """)
        return try rows.map { row in
            var entry = AuditEntry(
                occurredAt: try row.decode("occurred_at"), actorKind: try row.decode("actor_kind"),
                actorID: try row.decode("actor_id"), actorName: try row.decode("actor_name"),
                action: try row.decode("action"), target: try row.decode("target"),
                remoteAddress: try row.decode("remote_address"), requestID: try row.decode("request_id"),
                status: try row.decode("status"))
            entry.id = try row.decode("id")
            return entry
        }
    }
}
