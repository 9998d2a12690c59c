import Domain
import Foundation
import Postgres

/// SQL for `channels` (SPEC §9). Runs inside the caller's transaction (ADR 0002). Service
/// references are resolved by the caller; a taken name is a unique violation on
/// `channels_name_unique`.
public struct ChannelRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Creates `channel` with these service ids and (webhook) secret.
    public func create(_ channel: NewChannel, serviceIDs: [Int64], secret: String?, now: Date) throws
        -> ChannelRecord
    {
        let rows = try Self.namedUniquely(channel.name) {
            try connection.query(
                """
                WITH c AS (
                    INSERT INTO channels (name, kind, url, recipients, secret, events, service_ids, min_severity, enabled,
                                          disabled_reason, created_at, updated_at)
                    VALUES (\(channel.name), \(channel.kind.rawValue), \(channel.url), \(channel.recipients), \(secret),
                            \(channel.events), \(serviceIDs), \(channel.minSeverity.rawValue), \(channel.enabled),
                            \(channel.enabled ? nil : "disabled when created"), \(now), \(now))
                    RETURNING *)
                SELECT \(sql: ChannelRecord.columns) FROM c
                """)
        }
        return try ChannelRecord(row: rows[0])
    }

    /// `query`, with a clash of channel names as a conflict naming `name`.
    private static func namedUniquely(_ name: String, _ query: () throws -> PostgresRows) throws
        -> PostgresRows
    {
        do {
            return try query()
        } catch let error as PostgresError where error.isUniqueViolation(constraint: "channels_name_unique") {
            throw DomainError.conflict("A channel named \(name) already exists.")
        }
    }

    /// The channel with this id.
    public func find(id: Int64) throws -> ChannelRecord? {
        try connection.query("SELECT \(sql: ChannelRecord.columns) FROM channels c WHERE c.id = \(id)").first
            .map(
                ChannelRecord.init(row:))
    }

    /// Channel `id`, locked until the transaction ends; throws `.notFound`.
    func lock(id: Int64) throws -> ChannelRecord {
        guard
            let row = try connection.query(
                "SELECT \(sql: ChannelRecord.columns) FROM channels c WHERE c.id = \(id) FOR UPDATE OF c"
            ).first
        else { throw DomainError.notFound(.channel, String(id)) }
        return try ChannelRecord(row: row)
    }

    /// Channels by id, `limit` after the page that ended with id `after`.
    public func list(after: Int64?, limit: Int) throws -> (channels: [ChannelRecord], hasMore: Bool) {
        let rows = try connection.query(
            """
            SELECT \(sql: ChannelRecord.columns) FROM channels c WHERE c.id > \(after ?? 0)
            ORDER BY c.id LIMIT \(limit + 1)
            """
        ).map(ChannelRecord.init(row:))
        return (Array(rows.prefix(limit)), rows.count > limit)
    }

    /// Applies `patch` (service references already resolved to `serviceIDs`). Enabling clears
    /// the disabled reason; disabling records who did it. With `newSecret`, the current secret
    /// becomes the previous one, valid until `overlapUntil`. Throws `.notFound`.
    public func update(
        id: Int64, patch: ChannelPatch, serviceIDs: [Int64]?, newSecret: String?, overlapUntil: Date?,
        actor: String,
        now: Date
    ) throws -> ChannelRecord {
        let current = try lock(id: id)
        let enabled = patch.enabled ?? current.enabled
        let reason: String? =
            enabled
            ? nil
            : (patch.enabled == false && current.enabled ? "disabled by \(actor)" : current.disabledReason)
        let rows = try Self.namedUniquely(patch.name ?? current.name) {
            try connection.query(
                """
                WITH c AS (
                    UPDATE channels SET
                        name = \(patch.name ?? current.name), url = \(patch.url ?? current.url),
                        recipients = \(patch.recipients ?? current.recipients), events = \(patch.events ?? current.events),
                        service_ids = \(serviceIDs ?? current.serviceIDs),
                        min_severity = \((patch.minSeverity ?? current.minSeverity).rawValue),
                        enabled = \(enabled), disabled_reason = \(reason),
                        secret = \(newSecret ?? current.secret),
                        previous_secret = \(newSecret != nil ? current.secret : current.previousSecret),
                        previous_secret_until = \(newSecret != nil ? overlapUntil : current.previousSecretUntil),
                        updated_at = \(now)
                    WHERE id = \(id) RETURNING *)
                SELECT \(sql: ChannelRecord.columns) FROM c
                """)
        }
        return try ChannelRecord(row: rows[0])
    }

    /// Deletes channel `id` and its deliveries; false when there was none. Refused (409) while
    /// an escalation policy pages it.
    public func delete(id: Int64) throws -> Bool {
        try EscalationPolicyRepository(connection).refuseDeletingTarget(
            .init(.channel, id: id), what: "Channel \(id)")
        do {
            return try connection.execute("DELETE FROM channels WHERE id = \(id)") == 1
        } catch let error as PostgresError
            where error.isForeignKeyViolation(constraint: "escalation_policy_targets_channel_fk")
        {
            throw DomainError.conflict(
                "Channel \(id) was just named by an escalation policy; take it out first.")
        }
    }

    /// Disables channel `id` (SPEC §9: after a 410), keeping why.
    public func disable(id: Int64, reason: String, now: Date) throws {
        try connection.execute(
            """
            UPDATE channels SET enabled = false, disabled_reason = \(reason), updated_at = \(now)
            WHERE id = \(id) AND enabled
            """)
    }
}
