import Domain
import Foundation
import Postgres

/// A heartbeat as stored (migration 0013), with its service's name.
public struct HeartbeatRecord: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let serviceID: Int64
    public let serviceName: String
    public let intervalSeconds: Int
    public let graceSeconds: Int
    public let severity: AlertSeverity
    public let enabled: Bool
    /// When watching last started (creation, or the switch from disabled to enabled).
    public let armedAt: Date
    public let lastPingAt: Date?
    /// When its expiry was raised; nil unless expired.
    public let expiredAt: Date?
    /// The alert its expiry raised; nil unless expired.
    public let alertID: Int64?
    public let createdAt: Date
    public let updatedAt: Date

    /// `new|healthy|expired|disabled` (SPEC §14).
    public var state: HeartbeatState {
        HeartbeatState.of(enabled: enabled, armedAt: armedAt, lastPingAt: lastPingAt, expiredAt: expiredAt)
    }

    /// The dedup key of its expiry alert.
    public var dedupKey: String { Heartbeat.dedupKey(name: name) }

    /// Its `heartbeat.expired` or `heartbeat.recovered` event (SPEC §8).
    func event(_ type: EventType, alert: Alert?, actor: String) -> NewEvent {
        .heartbeat(
            type, name: name, id: id, service: (serviceID, serviceName), severity: severity,
            intervalSeconds: intervalSeconds, graceSeconds: graceSeconds, lastPingAt: lastPingAt,
            alert: alert,
            actor: actor)
    }
}

extension HeartbeatRecord {
    /// Columns every heartbeat query selects; `h` is `heartbeats`, `s` its service.
    static let columns: StaticString = """
        h.id, h.name, h.service_id, s.name AS service_name, h.interval_seconds, h.grace_seconds, h.severity,
        h.enabled, h.armed_at, h.last_ping_at, h.expired_at, h.alert_id, h.created_at, h.updated_at
        """

    /// Decodes a row selected with ``columns``.
    init(row: PostgresRow) throws {
        let severityText: String = try row.decode("severity")
        guard let severity = AlertSeverity(rawValue: severityText) else {
            throw PostgresError(.decoding, message: "unknown severity \(severityText)", column: "severity")
        }
        self.init(
            id: try row.decode("id"), name: try row.decode("name"), serviceID: try row.decode("service_id"),
            serviceName: try row.decode("service_name"),
            intervalSeconds: Int(try row.decode("interval_seconds", as: Int32.self)),
            graceSeconds: Int(try row.decode("grace_seconds", as: Int32.self)), severity: severity,
            enabled: try row.decode("enabled"), armedAt: try row.decode("armed_at"),
            lastPingAt: try row.decode("last_ping_at"), expiredAt: try row.decode("expired_at"),
            alertID: try row.decode("alert_id"), createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at"))
    }
}
