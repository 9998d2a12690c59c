import Foundation

/// A validated `POST /api/v1/heartbeats` body (SPEC §12): `{name, service, interval_seconds,
/// grace_seconds (default 0), severity (default critical), enabled (default true)}`.
public struct NewHeartbeat: Sendable, Hashable {
    public let name: String
    public let service: ServiceReference
    public let intervalSeconds: Int
    public let graceSeconds: Int
    public let severity: AlertSeverity
    public let enabled: Bool

    /// Validates the decoded fields; every bad field is named at once.
    public static func validate(
        name: String?, service: String?, intervalSeconds: Int?, graceSeconds: Int?, severity: String?,
        enabled: Bool?
    ) throws(ValidationError) -> NewHeartbeat {
        var check = Validator()
        let name = HeartbeatFields.name(name, into: &check)
        let service = HeartbeatFields.service(service, into: &check)
        var interval: Int?
        if let intervalSeconds {
            interval = HeartbeatFields.interval(intervalSeconds, into: &check)
        } else {
            check.add("interval_seconds", "is required (seconds, more than 0)")
        }
        let grace = HeartbeatFields.grace(graceSeconds ?? 0, into: &check)
        let severity = HeartbeatFields.severity(severity, default: Heartbeat.defaultSeverity, into: &check)
        guard check.isValid, let name, let service, let interval, let grace, let severity else {
            throw check.error
        }
        return NewHeartbeat(
            name: name, service: service, intervalSeconds: interval, graceSeconds: grace, severity: severity,
            enabled: enabled ?? true)
    }
}
