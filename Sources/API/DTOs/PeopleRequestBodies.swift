import Foundation

/// `POST|PATCH /users` body.
struct UserBody: Decodable {
    let name: String?
    let email: String?
    let chatUser: String?
    let timeZone: String?

    enum CodingKeys: String, CodingKey {
        case name, email
        case chatUser = "chat_user"
        case timeZone = "time_zone"
    }
}

/// `POST /users/{id}/contact-methods` body.
struct ContactMethodBody: Decodable {
    let kind: String?
    let to: String?
    let url: String?
}

/// A user named in a body: `3`, `"3"` or `{"id": 3}` (what the API's answers show), so an
/// answer's layers can be sent back as they are.
struct UserReferenceInput: Decodable {
    let id: Int64

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.singleValueContainer() {
            if let number = try? container.decode(Int64.self) {
                id = number
                return
            }
            if let text = try? container.decode(String.self), let number = Int64(text) {
                id = number
                return
            }
        }
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
        id = try keyed.decode(Int64.self, forKey: .id)
    }

    enum CodingKeys: String, CodingKey { case id }
}

/// `POST|PATCH /schedules` body.
struct ScheduleBody: Decodable {
    let name: String?
    let timeZone: String?
    let layers: [LayerBody]?

    enum CodingKeys: String, CodingKey {
        case name, layers
        case timeZone = "time_zone"
    }
}

/// One layer of a schedule body (SPEC §10).
struct LayerBody: Decodable {
    let id: Int64?
    let name: String?
    let rotation: String?
    let length: Int?
    let start: String?
    let participants: [UserReferenceInput]?
    let restriction: RestrictionBody?
}

/// `{days, from, to}` of a layer.
struct RestrictionBody: Decodable {
    let days: [String]?
    let from: String?
    let to: String?
}

/// `POST /schedules/{id}/overrides` body.
struct OverrideBody: Decodable {
    let user: UserReferenceInput?
    let start: Date?
    let end: Date?
}
