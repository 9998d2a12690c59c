import Domain
import Foundation

/// A timeline entry as the API shows it (SPEC §3): kind, actor, body, data, occurred_at,
/// created_at and what it is about. Named for alerts because issue 6 may add its own incident
/// flavour; the JSON shape is meant to be the same for every timeline.
struct AlertTimelineEntryDTO: Encodable {
    let entry: TimelineEntry

    init(_ entry: TimelineEntry) { self.entry = entry }

    enum CodingKeys: String, CodingKey {
        case id, kind, actor, body, data, alert, incident
        case incidentID = "incident_id"
        case alertID = "alert_id"
        case serviceID = "service_id"
        case occurredAt = "occurred_at"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.id, forKey: .id)
        try container.encode(entry.kind.rawValue, forKey: .kind)
        try container.encode(entry.actor, forKey: .actor)
        try container.encode(entry.body, forKey: .body)
        try container.encode(entry.data, forKey: .data)
        try container.encode(entry.alertID, forKey: .alertID)
        try container.encode(entry.alertID.map { EntityRef.alert($0).description }, forKey: .alert)
        try container.encode(entry.incidentID, forKey: .incidentID)
        try container.encode(entry.incidentID.map { EntityRef.incident($0).description }, forKey: .incident)
        try container.encode(entry.serviceID, forKey: .serviceID)
        try container.encode(entry.occurredAt, forKey: .occurredAt)
        try container.encode(entry.createdAt, forKey: .createdAt)
    }
}
