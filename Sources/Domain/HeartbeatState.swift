import Foundation

/// What a heartbeat is doing, as `GET /api/v1/heartbeats/{name}` shows it (SPEC §14).
public enum HeartbeatState: String, Sendable, Hashable, CaseIterable {
    /// Watched, and no ping arrived since it was created or enabled.
    case new
    /// Watched, pinged since it was armed, not expired.
    case healthy
    /// Its expiry was raised (an alert is open until the next ping).
    case expired
    /// Not watched: pings are recorded but arm nothing and resolve nothing.
    case disabled

    /// The state of a stored heartbeat.
    public static func of(enabled: Bool, armedAt: Date, lastPingAt: Date?, expiredAt: Date?) -> HeartbeatState
    {
        guard enabled else { return .disabled }
        if expiredAt != nil { return .expired }
        if let lastPingAt, lastPingAt >= armedAt { return .healthy }
        return .new
    }
}
