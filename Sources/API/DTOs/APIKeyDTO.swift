import Foundation
import Repositories

/// An API key as the API shows it; `key` only in the answer that created it.
struct APIKeyDTO: Encodable {
    let id: Int64
    let name: String
    let role: String
    let prefix: String
    let createdAt: Date
    let lastUsedAt: Date?
    let expiresAt: Date?
    let revokedAt: Date?
    let key: String?

    init(_ record: APIKeyRecord, secret: String?) {
        id = record.id
        name = record.name
        role = record.role
        prefix = KeyFormat.apiKeyPrefix + record.keyID
        createdAt = record.createdAt
        lastUsedAt = record.lastUsedAt
        expiresAt = record.expiresAt
        revokedAt = record.revokedAt
        key = secret
    }

    enum CodingKeys: String, CodingKey {
        case id, name, role, prefix, key
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        try container.encode(prefix, forKey: .prefix)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(revokedAt, forKey: .revokedAt)
        try container.encodeIfPresent(key, forKey: .key)
    }
}
