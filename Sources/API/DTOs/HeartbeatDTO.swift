import Domain
import Foundation
import Repositories

/// A heartbeat as the API shows it (SPEC §14): `{name, service, interval_seconds,
/// grace_seconds, severity, enabled, state, last_ping_at}`, plus when it expired and the alert
/// that expiry raised, its ping path, and its timestamps.
struct HeartbeatDTO: Encodable {
    let record: HeartbeatRecord

    init(_ record: HeartbeatRecord) { self.record = record }

    /// The native ping path of a heartbeat.
    static func pingPath(_ name: String) -> String { "/api/v1/heartbeats/\(name)/ping" }

    enum CodingKeys: String, CodingKey {
        case name, service, severity, enabled, state, alert
        case intervalSeconds = "interval_seconds"
        case graceSeconds = "grace_seconds"
        case lastPingAt = "last_ping_at"
        case expiredAt = "expired_at"
        case pingURL = "ping_url"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.name, forKey: .name)
        try container.encode(record.serviceName, forKey: .service)
        try container.encode(record.intervalSeconds, forKey: .intervalSeconds)
        try container.encode(record.graceSeconds, forKey: .graceSeconds)
        try container.encode(record.severity.rawValue, forKey: .severity)
        try container.encode(record.enabled, forKey: .enabled)
        try container.encode(record.state.rawValue, forKey: .state)
        // Explicit nulls (SPEC §4: absent values are null, not left out).
        try container.encode(record.lastPingAt, forKey: .lastPingAt)
        try container.encode(record.expiredAt, forKey: .expiredAt)
        try container.encode(record.alertID.map { EntityRef.alert($0).description }, forKey: .alert)
        try container.encode(Self.pingPath(record.name), forKey: .pingURL)
        try container.encode(record.createdAt, forKey: .createdAt)
        try container.encode(record.updatedAt, forKey: .updatedAt)
    }
}
