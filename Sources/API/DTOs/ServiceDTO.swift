import Foundation
import Repositories

/// A service as the API shows it.
struct ServiceDTO: Encodable {
    let id: Int64
    let name: String
    let description: String
    let criticalAlertIncidentSeverity: String
    /// SPEC §14: the policy's id, or null.
    let escalationPolicy: Int64?
    let createdAt: Date

    init(_ record: ServiceRecord) {
        id = record.id
        name = record.name
        description = record.description
        criticalAlertIncidentSeverity = record.criticalAlertIncidentSeverity
        escalationPolicy = record.escalationPolicyID
        createdAt = record.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description
        case criticalAlertIncidentSeverity = "critical_alert_incident_severity"
        case escalationPolicy = "escalation_policy"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(criticalAlertIncidentSeverity, forKey: .criticalAlertIncidentSeverity)
        try container.encode(escalationPolicy, forKey: .escalationPolicy)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// An integration; `routing_key` only in the answer that created it.
struct IntegrationDTO: Encodable {
    let id: Int64
    let serviceID: Int64
    let service: String
    let name: String
    let kind: String
    let createdAt: Date
    let routingKey: String?

    init(_ record: IntegrationRecord, routingKey: String?) {
        id = record.id
        serviceID = record.serviceID
        service = record.serviceName
        name = record.name
        kind = record.kind
        createdAt = record.createdAt
        self.routingKey = routingKey
    }

    enum CodingKeys: String, CodingKey {
        case id, service, name, kind
        case serviceID = "service_id"
        case createdAt = "created_at"
        case routingKey = "routing_key"
    }
}
