import Foundation

/// Whether writes are refused (SPEC §12 read-only mode, seed Playbook 4 "stop writes").
public struct ReadOnlyState: Sendable, Equatable {
    /// Retry-After bounds: a second to a day.
    public static let retryAfterRange = 1...86_400
    public static let defaultRetryAfterSeconds = 60
    public static let maxReasonLength = 1_000

    public var enabled: Bool
    public var reason: String
    public var retryAfterSeconds: Int
    public var changedAt: Date
    public var changedBy: String

    public init(enabled: Bool, reason: String, retryAfterSeconds: Int, changedAt: Date, changedBy: String) {
        self.enabled = enabled
        self.reason = reason
        self.retryAfterSeconds = retryAfterSeconds
        self.changedAt = changedAt
        self.changedBy = changedBy
    }

    /// The switch as a caller asks for it, checked: all bad fields at once.
    public static func validate(enabled: Bool?, reason: String?, retryAfterSeconds: Int?) throws -> (
        enabled: Bool, reason: String, retryAfterSeconds: Int
    ) {
        var issues: [FieldIssue] = []
        if enabled == nil {
            issues.append(FieldIssue(field: "enabled", message: "is required (true or false)"))
        }
        let reason = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.count > maxReasonLength {
            issues.append(
                FieldIssue(field: "reason", message: "must be at most \(maxReasonLength) characters"))
        }
        let retryAfter = retryAfterSeconds ?? defaultRetryAfterSeconds
        if !retryAfterRange.contains(retryAfter) {
            issues.append(FieldIssue(field: "retry_after_seconds", message: "must be between 1 and 86400"))
        }
        guard issues.isEmpty, let enabled else { throw ValidationError(issues) }
        return (enabled, reason, retryAfter)
    }
}
