import Domain
import Foundation
import Postgres

/// What a ping did.
public struct HeartbeatPingResult: Sendable, Hashable {
    /// The heartbeat after the ping.
    public let heartbeat: HeartbeatRecord
    /// True when the ping ended an expiry (SPEC §12: "the next ping resolves it").
    public let recovered: Bool
    /// The expiry alert the ping resolved; nil when there was none open (not expired, or a
    /// person resolved it already).
    public let resolvedAlert: AlertRecord?
}

extension HeartbeatRepository {
    /// Records a ping of `locked` (from ``lock(name:)``, in this transaction) at `now`.
    ///
    /// An enabled heartbeat is healthy afterwards; an expired one recovers and its expiry alert
    /// is resolved by `actor`. A disabled heartbeat only records when it was pinged: a stray
    /// request never arms it (issue 17: peers arm heartbeats on any GET).
    public func recordPing(_ locked: HeartbeatRecord, actor: String, now: Date) throws -> HeartbeatPingResult
    {
        var resolved: AlertRecord?
        let recovers = locked.enabled && locked.expiredAt != nil
        if recovers {
            resolved = try recover(
                locked, actor: actor, resolution: "Heartbeat \(locked.name) was pinged again.", now: now)
        }
        let heartbeat = try read(
            """
            UPDATE heartbeats
            SET last_ping_at = \(now), updated_at = \(now),
                expired_at = CASE WHEN enabled THEN NULL ELSE expired_at END,
                alert_id = CASE WHEN enabled THEN NULL ELSE alert_id END
            WHERE id = \(locked.id) RETURNING *
            """)
        return HeartbeatPingResult(heartbeat: heartbeat, recovered: recovers, resolvedAlert: resolved)
    }

    /// Ends the expiry of `locked`: resolves its open expiry alert, if a person has not already.
    /// The caller clears `expired_at` in the same transaction.
    @discardableResult
    func recover(_ locked: HeartbeatRecord, actor: String, resolution: String, now: Date) throws
        -> AlertRecord?
    {
        let resolved = try AlertRepository(connection).resolveOpen(
            serviceID: locked.serviceID, dedupKey: locked.dedupKey, actor: actor, resolution: resolution,
            now: now
        )?.record
        try EventRepository(connection).append(
            locked.event(.heartbeatRecovered, alert: resolved?.alert, actor: actor), now: now)
        return resolved
    }
}
