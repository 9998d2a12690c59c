import Domain
import Foundation
import Repositories

/// An incident as the API shows it (SPEC §3 fields plus `ref` and an `sla` block). Lists show
/// the incident alone; `GET /incidents/{id}` and the action routes add `alerts`,
/// `alert_count` and `latest_status_update`.
struct IncidentDTO: Encodable {
    let incident: Incident
    let detail: IncidentDetail?
    let sla: IncidentSLADTO

    /// `now` and `policy` decide the `sla.state` shown (the stored flag waits for the SLA job).
    init(_ incident: Incident, now: Date, policy: SLAPolicy) {
        self.incident = incident
        self.detail = nil
        self.sla = IncidentSLADTO(incident, now: now, policy: policy)
    }

    init(_ detail: IncidentDetail, now: Date, policy: SLAPolicy) {
        self.incident = detail.incident
        self.detail = detail
        self.sla = IncidentSLADTO(detail.incident, now: now, policy: policy)
    }

    enum CodingKeys: String, CodingKey {
        case id, ref, title, severity, status, summary, impact, commander, services, channel, resolution, sla
        case alerts
        case alertCount = "alert_count"
        case latestStatusUpdate = "latest_status_update"
        case startedAt = "started_at"
        case detectedAt = "detected_at"
        case acknowledgedAt = "acknowledged_at"
        case acknowledgedBy = "acknowledged_by"
        case mitigatedAt = "mitigated_at"
        case resolvedAt = "resolved_at"
        case resolvedBy = "resolved_by"
        case ackDueAt = "ack_due_at"
        case slaBreached = "sla_breached"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(incident.id, forKey: .id)
        try container.encode(incident.ref.description, forKey: .ref)
        try container.encode(incident.title, forKey: .title)
        try container.encode(incident.severity.rawValue, forKey: .severity)
        try container.encode(incident.status.rawValue, forKey: .status)
        // Absent values are explicit nulls, so clients see every field of SPEC §3.
        try container.encode(incident.summary, forKey: .summary)
        try container.encode(incident.impact, forKey: .impact)
        try container.encode(incident.commander, forKey: .commander)
        try container.encode(incident.services, forKey: .services)
        try container.encode(incident.channel, forKey: .channel)
        try container.encode(incident.startedAt, forKey: .startedAt)
        try container.encode(incident.detectedAt, forKey: .detectedAt)
        try container.encode(incident.acknowledgedAt, forKey: .acknowledgedAt)
        try container.encode(incident.acknowledgedBy, forKey: .acknowledgedBy)
        try container.encode(incident.mitigatedAt, forKey: .mitigatedAt)
        try container.encode(incident.resolvedAt, forKey: .resolvedAt)
        try container.encode(incident.resolvedBy, forKey: .resolvedBy)
        try container.encode(incident.resolution, forKey: .resolution)
        try container.encode(incident.ackDueAt, forKey: .ackDueAt)
        try container.encode(incident.slaBreached, forKey: .slaBreached)
        try container.encode(sla, forKey: .sla)
        try container.encode(incident.createdAt, forKey: .createdAt)
        try container.encode(incident.updatedAt, forKey: .updatedAt)
        if let detail {
            try container.encode(detail.alerts.map { AlertDTO($0) }, forKey: .alerts)
            try container.encode(detail.alertCount, forKey: .alertCount)
            try container.encode(
                detail.latestStatusUpdate.map(IncidentTimelineEntryDTO.init), forKey: .latestStatusUpdate)
        }
    }
}

/// The acknowledgement SLA of an incident (SPEC §3): its deadline and where it stands.
struct IncidentSLADTO: Encodable {
    /// `pending` (not yet acknowledged, deadline ahead), `met` (acknowledged or resolved in
    /// time) or `breached`.
    let state: String
    let breached: Bool
    let ackDueAt: Date

    init(_ incident: Incident, now: Date, policy: SLAPolicy) {
        // The stored flag is set by the SLA job; between the deadline and the job's next pass
        // the computed rule already answers "breached".
        let breached =
            incident.slaBreached
            || policy.isBreached(
                ackDueAt: incident.ackDueAt, acknowledgedAt: incident.acknowledgedAt,
                resolvedAt: incident.resolvedAt,
                now: now)
        let answered = incident.acknowledgedAt != nil || incident.resolvedAt != nil
        self.breached = breached
        self.state = breached ? "breached" : (answered ? "met" : "pending")
        self.ackDueAt = incident.ackDueAt
    }

    enum CodingKeys: String, CodingKey {
        case state, breached
        case ackDueAt = "ack_due_at"
    }

    /// When the state shown for `incident` would change with time alone (`pending` turning
    /// `breached`): its deadline while it is pending, nil otherwise. Cached answers showing it
    /// must not outlive this (``RequestContext/allowCaching(until:)``).
    static func changesAt(_ incident: Incident, now: Date, policy: SLAPolicy) -> Date? {
        IncidentSLADTO(incident, now: now, policy: policy).state == "pending" ? incident.ackDueAt : nil
    }

    /// The earliest ``changesAt(_:now:policy:)`` of `incidents`.
    static func firstChange(_ incidents: [Incident], now: Date, policy: SLAPolicy) -> Date? {
        incidents.lazy.compactMap { changesAt($0, now: now, policy: policy) }.min()
    }
}

/// A timeline entry of an incident: the same JSON shape as every timeline (the alert
/// engineer's ``AlertTimelineEntryDTO`` was written to be shared).
typealias IncidentTimelineEntryDTO = AlertTimelineEntryDTO
