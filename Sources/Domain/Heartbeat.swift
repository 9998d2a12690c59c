import Foundation

/// A dead-man switch (SPEC §12): something that must ping at least every `interval_seconds`
/// (plus `grace_seconds`), or an alert with dedup key `heartbeat:<name>` is raised on its
/// service; the next ping resolves it.
///
/// Expiry rule (kept in SQL, ``HeartbeatRepository`` in Repositories): an enabled heartbeat
/// expires when `now > max(last ping since armed, armed_at, the checking process's start) +
/// interval + grace`. Counting from the process's start means the time incidentd itself was
/// down never counts against a heartbeat (SPEC §14).
public enum Heartbeat {
    /// Longest name, in characters (CHECK `heartbeats_name_length`).
    public static let maxNameLength = 100
    /// Longest interval and grace: 31 days, in seconds (CHECKs `heartbeats_interval_range`,
    /// `heartbeats_grace_range`).
    public static let maxSeconds = 31 * 24 * 3600
    /// Severity of the expiry alert when none is given (SPEC §12).
    public static let defaultSeverity = AlertSeverity.critical

    /// The dedup key of the alert a heartbeat raises (SPEC §12): one open alert per heartbeat.
    public static func dedupKey(name: String) -> String { "heartbeat:\(name)" }

    /// Whether `name` may name a heartbeat: the rule of service names (ASCII letters, digits,
    /// `.`, `_`, `-`, starting with a letter or digit), because names sit in ping URLs.
    public static func isValidName(_ name: String) -> Bool { Service.isValidName(name) }
}
