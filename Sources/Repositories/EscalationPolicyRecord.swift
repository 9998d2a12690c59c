import Domain
import Foundation

/// A stored escalation policy (SPEC §11): its plan and the services that use it.
public struct EscalationPolicyRecord: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let plan: EscalationPlan
    /// Names of the services whose policy this is, sorted.
    public let services: [String]
    public let createdAt: Date
    public let updatedAt: Date
}

/// The cursor of `GET /escalation-policies` (id order).
public enum EscalationPolicyCursor {
    static let tag = "escalation-policies"

    public static func encode(id: Int64) -> String { KeysetCursorCoding.encode(tag: tag, id: id) }

    /// The last id of the previous page; a validation error naming `cursor` when the text is not
    /// a cursor of this list.
    static func decode(_ cursor: String) throws -> Int64 {
        guard let id = KeysetCursorCoding.decode(tag: tag, cursor) else {
            throw ValidationError(field: "cursor", message: "is not a cursor of this list")
        }
        return id
    }
}
