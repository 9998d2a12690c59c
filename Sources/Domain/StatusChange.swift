import Foundation

/// A validated `POST /incidents/{id}/status {status, message}` body. Feed it to
/// ``IncidentTransition/changeStatus(from:to:hasMessage:)`` with the current status.
public struct StatusChange: Sendable, Hashable {
    public let status: IncidentStatus
    /// The status update message (seed 003: Status / Impact / Lead / Next update), if any.
    public let message: String?

    /// Validates `status` (required, any case) and `message` (optional, multi-line).
    public static func validate(status: String?, message: String?) throws(ValidationError) -> StatusChange {
        var check = Validator()
        let parsed = check.oneOf("status", status, allowed: IncidentStatus.allCases.map(\.rawValue)) {
            IncidentStatus(parsing: $0)
        }
        let message = check.optional("message", message, maxLength: TimelineEntry.maxBodyLength)
        guard check.isValid, let parsed else { throw check.error }
        return StatusChange(status: parsed, message: message)
    }
}
