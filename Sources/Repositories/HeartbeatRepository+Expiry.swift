import Domain
import Foundation
import Postgres

/// One expiry the job raised.
public struct HeartbeatExpiry: Sendable, Hashable {
    /// The heartbeat, now expired.
    public let heartbeat: HeartbeatRecord
    /// Its expiry alert after the trigger (with its incident when grouping opened or joined one).
    public let alert: AlertTriggerResult
}

extension HeartbeatRepository {
    /// Most heartbeats one pass of the expiry job expires in one transaction.
    public static let defaultExpiryBatch = 50
    /// Who raises expiry alerts, on their timelines.
    public static let expiryActor = "incidentd"
    /// The `source` of expiry alerts.
    public static let expirySource = "incidentd heartbeat"

    /// Expires up to `limit` overdue heartbeats and raises each one's alert through the usual
    /// path (``AlertRepository/raise(_:serviceID:actor:policy:now:)``: a critical one opens an
    /// incident), returning them.
    ///
    /// Overdue (SPEC §12, §14): enabled, not expired, and `now > max(last ping, armed_at,
    /// processStartedAt) + interval + grace`. `processStartedAt` is when the calling process
    /// started, so time incidentd was down never counts. Rows are claimed with `FOR UPDATE
    /// SKIP LOCKED`: processes running the job at once take disjoint heartbeats, and one another
    /// process expired meanwhile fails the `expired_at IS NULL` re-check READ COMMITTED applies
    /// after the lock, so each expiry is raised once. Run it in a transaction of its own.
    public func expireDue(
        now: Date, processStartedAt: Date, policy: SLAPolicy, limit: Int = defaultExpiryBatch
    )
        throws -> [HeartbeatExpiry]
    {
        let due = try connection.query(
            """
            SELECT \(sql: HeartbeatRecord.columns) FROM heartbeats h JOIN services s ON s.id = h.service_id
            WHERE h.enabled AND h.expired_at IS NULL
              AND greatest(h.last_ping_at, h.armed_at, \(processStartedAt))
                  + make_interval(secs => h.interval_seconds + h.grace_seconds) < \(now)
            ORDER BY h.id LIMIT \(Int64(limit))
            FOR UPDATE OF h SKIP LOCKED
            """
        ).map(HeartbeatRecord.init(row:))
        return try due.map { try expire($0, now: now, policy: policy) }
    }

    /// Raises the expiry alert of the claimed `heartbeat` and marks it expired.
    private func expire(_ heartbeat: HeartbeatRecord, now: Date, policy: SLAPolicy) throws -> HeartbeatExpiry
    {
        let alert = try NewAlert.validate(
            service: heartbeat.serviceName, source: Self.expirySource, summary: Self.expirySummary(heartbeat),
            severity: heartbeat.severity.rawValue, dedupKey: heartbeat.dedupKey,
            details: .object(Self.expiryDetails(heartbeat, now: now)), links: nil)
        let raised = try AlertRepository(connection).raise(
            alert, serviceID: heartbeat.serviceID, actor: Self.expiryActor, policy: policy, now: now)
        try EventRepository(connection).append(
            heartbeat.event(.heartbeatExpired, alert: raised.record.alert, actor: Self.expiryActor), now: now)
        let expired = try read(
            """
            UPDATE heartbeats SET expired_at = \(now), alert_id = \(raised.record.id), updated_at = \(now)
            WHERE id = \(heartbeat.id) RETURNING *
            """)
        return HeartbeatExpiry(heartbeat: expired, alert: raised)
    }

    /// The expiry alert's summary, naming the heartbeat (SPEC §12).
    static func expirySummary(_ heartbeat: HeartbeatRecord) -> String {
        let silence = heartbeat.intervalSeconds + heartbeat.graceSeconds
        let last = heartbeat.lastPingAt.map { "last ping \(Self.timestamp($0))" } ?? "never pinged"
        return "Heartbeat \(heartbeat.name) expired: no ping for \(silence) s (\(last))"
    }

    static func expiryDetails(_ heartbeat: HeartbeatRecord, now: Date) -> [String: JSONValue] {
        [
            "heartbeat": .string(heartbeat.name),
            "interval_seconds": .integer(Int64(heartbeat.intervalSeconds)),
            "grace_seconds": .integer(Int64(heartbeat.graceSeconds)),
            "last_ping_at": heartbeat.lastPingAt.map { .string(Self.timestamp($0)) } ?? .null,
            "expired_at": .string(Self.timestamp(now)),
        ]
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }
}
