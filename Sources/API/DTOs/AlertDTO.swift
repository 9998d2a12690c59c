import Domain
import Foundation
import Repositories

/// An alert as the API shows it (SPEC §3 fields). `deduplicated` only in trigger answers.
struct AlertDTO: Encodable {
    let record: AlertRecord
    let deduplicated: Bool?

    init(_ record: AlertRecord, deduplicated: Bool? = nil) {
        self.record = record
        self.deduplicated = deduplicated
    }

    enum CodingKeys: String, CodingKey {
        case id, ref, service, source, summary, severity, status, details, links, resolution, deduplicated
        case serviceID = "service_id"
        case dedupKey = "dedup_key"
        case eventCount = "event_count"
        case firstSeenAt = "first_seen_at"
        case lastSeenAt = "last_seen_at"
        case acknowledgedAt = "acknowledged_at"
        case acknowledgedBy = "acknowledged_by"
        case resolvedAt = "resolved_at"
        case resolvedBy = "resolved_by"
        case incidentID = "incident_id"
        case incident
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        let alert = record.alert
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(alert.id, forKey: .id)
        try container.encode(alert.ref.description, forKey: .ref)
        try container.encode(alert.service, forKey: .service)
        try container.encode(record.serviceID, forKey: .serviceID)
        try container.encode(alert.source, forKey: .source)
        try container.encode(alert.summary, forKey: .summary)
        try container.encode(alert.severity.rawValue, forKey: .severity)
        try container.encode(alert.status.rawValue, forKey: .status)
        try container.encode(alert.dedupKey, forKey: .dedupKey)
        try container.encode(alert.eventCount, forKey: .eventCount)
        try container.encode(alert.details, forKey: .details)
        try container.encode(alert.links, forKey: .links)
        try container.encode(alert.firstSeenAt, forKey: .firstSeenAt)
        try container.encode(alert.lastSeenAt, forKey: .lastSeenAt)
        // Absent values are explicit nulls, so clients see every field of SPEC §3.
        try container.encode(alert.acknowledgedAt, forKey: .acknowledgedAt)
        try container.encode(alert.acknowledgedBy, forKey: .acknowledgedBy)
        try container.encode(alert.resolvedAt, forKey: .resolvedAt)
        try container.encode(alert.resolvedBy, forKey: .resolvedBy)
        try container.encode(alert.resolution, forKey: .resolution)
        try container.encode(alert.incidentID, forKey: .incidentID)
        try container.encode(alert.incidentID.map { EntityRef.incident($0).description }, forKey: .incident)
        try container.encode(alert.updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(deduplicated, forKey: .deduplicated)
    }
}
