import Foundation

/// `heartbeat.expired` and `heartbeat.recovered` (SPEC §8, §12): subject the heartbeat (its name
/// as ref), service the heartbeat's, severity its alert's, `data` naming the alert.
extension NewEvent {
    /// A heartbeat event. `alert` is the expiry alert (raised, or resolved by the recovery;
    /// nil when a person had resolved it already); `lastPingAt` is the heartbeat's last ping.
    public static func heartbeat(
        _ type: EventType, name: String, id: Int64, service: (id: Int64, name: String),
        severity: AlertSeverity,
        intervalSeconds: Int, graceSeconds: Int, lastPingAt: Date?, alert: Alert?, actor: String
    ) -> NewEvent {
        let iso = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return NewEvent(
            type: type, actor: actor, subject: .heartbeat(id, name: name), incidentID: alert?.incidentID,
            services: .one(id: service.id, name: service.name), severity: severity.rawValue,
            data: [
                "heartbeat": .string(name), "interval_seconds": .integer(Int64(intervalSeconds)),
                "grace_seconds": .integer(Int64(graceSeconds)),
                "last_ping_at": lastPingAt.map { .string($0.formatted(iso)) } ?? .null,
                "alert": alert.map { .string($0.ref.description) } ?? .null,
                "incident": alert?.incidentID.map { .string(EntityRef.incident($0).description) } ?? .null,
            ])
    }
}

extension EventSubject {
    /// Heartbeat `id`; heartbeats have no ref of their own, clients know them by name.
    public static func heartbeat(_ id: Int64, name: String) -> EventSubject {
        EventSubject(kind: "heartbeat", id: id, ref: name)
    }
}
