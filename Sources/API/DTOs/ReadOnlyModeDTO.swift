import Domain
import Foundation

/// The read-only switch as `GET|PUT /api/v1/admin/read-only` shows it.
struct ReadOnlyModeDTO: Encodable {
    let state: ReadOnlyState

    enum CodingKeys: String, CodingKey {
        case enabled, reason
        case retryAfterSeconds = "retry_after_seconds"
        case changedAt = "changed_at"
        case changedBy = "changed_by"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state.enabled, forKey: .enabled)
        try container.encode(state.reason, forKey: .reason)
        try container.encode(state.retryAfterSeconds, forKey: .retryAfterSeconds)
        try container.encode(state.changedAt, forKey: .changedAt)
        try container.encode(state.changedBy, forKey: .changedBy)
    }
}

/// `PUT /api/v1/admin/read-only {enabled, reason, retry_after_seconds}`.
struct ReadOnlyModeBody: Decodable {
    let enabled: Bool?
    let reason: String?
    let retryAfterSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case enabled, reason
        case retryAfterSeconds = "retry_after_seconds"
    }
}
