import Foundation

/// `POST|PATCH /api/v1/status/components` (SPEC §13). On PATCH every key is optional;
/// `group` and `status` may be `null` to clear them, so their presence is recorded apart.
struct StatusComponentBody: Decodable {
    let name: String?
    let description: String?
    let services: [ChannelBody.ServiceReference]?
    /// nil: absent; `.some(nil)`: explicit null.
    let group: String??
    let status: String??

    enum CodingKeys: String, CodingKey {
        case name, description, services, group, status
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func nullable(_ key: CodingKeys) throws -> String?? {
            guard container.contains(key) else { return nil }
            return .some(
                try container.decodeNil(forKey: key) ? nil : container.decode(String.self, forKey: key))
        }
        name = try container.decodeIfPresent(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        services = try container.decodeIfPresent([ChannelBody.ServiceReference].self, forKey: .services)
        group = try nullable(.group)
        status = try nullable(.status)
    }
}

/// `POST /api/v1/incidents/{id}/status-updates` (SPEC §13).
struct StatusUpdateBody: Decodable {
    let status: String?
    let body: String?
    let isPublic: Bool?
    let nextUpdateMinutes: Double?
    let by: String?

    enum CodingKeys: String, CodingKey {
        case status, body, by
        case isPublic = "public"
        case nextUpdateMinutes = "next_update_minutes"
    }
}
