import Domain
import Foundation
import Postgres

extension AlertRepository {
    /// Raises an alert from inside incidentd (a heartbeat's expiry, failed authentications),
    /// the way every alert source's trigger goes (SPEC §3): the dedup upsert with its timeline
    /// entry, then grouping, so a critical alert opens or joins its service's incident — and
    /// whatever follows an opened incident (paging) follows here too. Every repeat counts.
    public func raise(_ alert: NewAlert, serviceID: Int64, actor: String, policy: SLAPolicy, now: Date) throws
        -> AlertTriggerResult
    {
        guard let triggered = try trigger(alert, serviceID: serviceID, actor: actor, now: now) else {
            // With .countEveryTrigger the upsert always inserts or updates, so it returns a row.
            throw PostgresError(.protocolViolation, message: "the alert trigger returned no row")
        }
        return try IncidentRepository(connection).groupTriggered(
            triggered, actor: actor, policy: policy, now: now)
    }

    /// ``raise(_:serviceID:actor:policy:now:)`` unless an alert of `serviceID` with the same
    /// dedup key was seen within `window` before `now` (open or resolved): at most one raise per
    /// window, whichever process gets there first — an advisory lock on the key serializes them.
    /// Returns nil when it was not raised.
    public func raiseOnce(
        _ alert: NewAlert, serviceID: Int64, within window: TimeInterval, actor: String, policy: SLAPolicy,
        now: Date
    ) throws -> AlertTriggerResult? {
        let lockKey = "alert:\(serviceID):\(alert.dedupKey)"
        _ = try connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lockKey), 0))")
        let recent = try connection.query(
            """
            SELECT 1 FROM alerts
            WHERE service_id = \(serviceID) AND dedup_key = \(alert.dedupKey)
              AND last_seen_at > \(now.addingTimeInterval(-window))
            LIMIT 1
            """)
        guard recent.isEmpty else { return nil }
        return try raise(alert, serviceID: serviceID, actor: actor, policy: policy, now: now)
    }
}
