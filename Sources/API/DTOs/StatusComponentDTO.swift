import Domain
import Foundation
import Repositories

/// A status page component in the admin API (SPEC §13): its services by name, its derived
/// `status` now, and the manual `override_status` (null when none).
struct StatusComponentDTO: Encodable {
    let id: Int64
    let name: String
    let description: String
    let group: String?
    let services: [String]
    let status: ComponentStatus
    let overrideStatus: ComponentStatus?
    let createdAt: Date
    let updatedAt: Date

    init(_ record: StatusComponentRecord, status: ComponentStatus, override: ComponentStatus?) {
        id = record.id
        name = record.name
        description = record.description
        group = record.group
        services = record.serviceNames
        self.status = status
        overrideStatus = override
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, group, services, status
        case overrideStatus = "override_status"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(group, forKey: .group)
        try container.encode(services, forKey: .services)
        try container.encode(status, forKey: .status)
        try container.encode(overrideStatus, forKey: .overrideStatus)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `GET /api/v1/status/components/{id}/uptime` (SPEC §14).
struct StatusUptimeDTO: Encodable {
    let component: Int64
    let from: Date
    let to: Date
    let uptimePercent: Double

    enum CodingKeys: String, CodingKey {
        case component, from, to
        case uptimePercent = "uptime_percent"
    }
}
