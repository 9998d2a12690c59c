import Domain
import Foundation
import Repositories

/// `{id, name}` of a person in answers (`user`, `participants`); name null for one deleted.
struct UserRefDTO: Encodable, Equatable {
    let id: Int64
    let name: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
    }

    enum CodingKeys: String, CodingKey { case id, name }
}

/// A person as the API shows them; `contact_methods` only on `GET /users/{id}`.
struct UserDTO: Encodable {
    let record: UserRecord
    let contactMethods: [ContactMethodDTO]?

    enum CodingKeys: String, CodingKey {
        case id, name, email
        case chatUser = "chat_user"
        case timeZone = "time_zone"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case contactMethods = "contact_methods"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.name, forKey: .name)
        try container.encode(record.email, forKey: .email)
        try container.encode(record.chatUser, forKey: .chatUser)
        try container.encode(record.timeZone, forKey: .timeZone)
        try container.encode(record.createdAt, forKey: .createdAt)
        try container.encode(record.updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(contactMethods, forKey: .contactMethods)
    }
}

/// A contact method: `to` for email, `url` for webhook and slack; a webhook's `secret` only
/// in the answer that created it (SPEC §9: shown once).
struct ContactMethodDTO: Encodable {
    let record: ContactMethodRecord
    let secret: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, to, url, secret
        case userID = "user_id"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.userID, forKey: .userID)
        try container.encode(record.kind, forKey: .kind)
        try container.encode(
            record.address, forKey: record.kind == ContactMethodKind.email.rawValue ? .to : .url)
        try container.encode(record.createdAt, forKey: .createdAt)
        try container.encodeIfPresent(secret, forKey: .secret)
    }
}
