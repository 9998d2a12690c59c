/// `POST /api/v1/heartbeats` and `PATCH /api/v1/heartbeats/{name}` bodies (SPEC §12).
struct HeartbeatBody: Decodable {
    let name: String?
    let service: ServiceField?
    let intervalSeconds: Int?
    let graceSeconds: Int?
    let severity: String?
    let enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case name, service, severity, enabled
        case intervalSeconds = "interval_seconds"
        case graceSeconds = "grace_seconds"
    }
}

/// A part-two `service` field (SPEC §14): the service's name, or its id as a number.
struct ServiceField: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let id = try? container.decode(Int64.self) {
            text = String(id)
        } else {
            // A wrong type fails here, naming the field ("must be a string").
            text = try container.decode(String.self)
        }
    }
}
