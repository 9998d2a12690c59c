/// `POST /channels` and `PATCH /channels/{id}` bodies as sent; Domain validates them.
struct ChannelBody: Decodable {
    let name: String?
    let kind: String?
    let url: String?
    /// One address or a list (SPEC §9).
    let to: OneOrMany?
    let events: [String]?
    /// Names or ids (SPEC §14), numbers allowed.
    let services: [ServiceReference]?
    let minSeverity: String?
    let enabled: Bool?
    let rotateSecret: Bool?

    enum CodingKeys: String, CodingKey {
        case name, kind, url, to, events, services, enabled
        case minSeverity = "min_severity"
        case rotateSecret = "rotate_secret"
    }

    /// A string or a list of strings.
    struct OneOrMany: Decodable {
        let values: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) {
                values = [one]
            } else {
                values = try container.decode([String].self)
            }
        }
    }

    /// A service name, or an id as a number or a string.
    struct ServiceReference: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let id = try? container.decode(Int64.self) {
                text = String(id)
            } else {
                text = try container.decode(String.self)
            }
        }
    }
}
