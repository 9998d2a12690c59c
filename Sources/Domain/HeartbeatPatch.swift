import Foundation

/// A validated `PATCH /api/v1/heartbeats/{name}` body: nil fields stay as they are.
public struct HeartbeatPatch: Sendable, Hashable {
    public var service: ServiceReference?
    public var intervalSeconds: Int?
    public var graceSeconds: Int?
    public var severity: AlertSeverity?
    public var enabled: Bool?

    public init(
        service: ServiceReference? = nil, intervalSeconds: Int? = nil, graceSeconds: Int? = nil,
        severity: AlertSeverity? = nil, enabled: Bool? = nil
    ) {
        self.service = service
        self.intervalSeconds = intervalSeconds
        self.graceSeconds = graceSeconds
        self.severity = severity
        self.enabled = enabled
    }

    /// Validates the decoded fields. `name` is the heartbeat's identity (its ping URL, its
    /// alert's dedup key): a body that tries to change it is refused, naming `name`.
    public static func validate(
        name: String?, currentName: String, service: String?, intervalSeconds: Int?, graceSeconds: Int?,
        severity: String?, enabled: Bool?
    ) throws(ValidationError) -> HeartbeatPatch {
        var check = Validator()
        if let name, name != currentName {
            check.add("name", "cannot be changed: it is the ping URL and the alert's dedup key")
        }
        var patch = HeartbeatPatch(enabled: enabled)
        if let service { patch.service = HeartbeatFields.service(service, into: &check) }
        if let intervalSeconds {
            patch.intervalSeconds = HeartbeatFields.interval(intervalSeconds, into: &check)
        }
        if let graceSeconds { patch.graceSeconds = HeartbeatFields.grace(graceSeconds, into: &check) }
        if let severity { patch.severity = HeartbeatFields.severity(severity, default: nil, into: &check) }
        try check.finish()
        return patch
    }
}
