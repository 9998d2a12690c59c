import Domain
import Foundation
import Repositories

/// An incident as the API shows it (SPEC §3 fields plus `ref` and an `sla` block). Lists show
/// the incident alone; `GET /incidents/{id}` and the action routes add `alerts`,
/// `alert_count` and `latest_status_update`.
struct IncidentDTO: JSONObjectShape {
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

    func visitMembers<Visitor: JSONMemberVisitor>(_ visitor: inout Visitor) {
        // Absent values are explicit nulls, so clients see every field of SPEC §3.
        visitor.member("ack_due_at", incident.ackDueAt)
        visitor.member("acknowledged_at", incident.acknowledgedAt)
        visitor.member("acknowledged_by", incident.acknowledgedBy)
        if let detail {
            visitor.member("alert_count", Int64(detail.alertCount))
            visitor.member("alerts", objects: detail.alerts.map { AlertDTO($0) })
        }
        visitor.member("channel", incident.channel)
        visitor.member("commander", incident.commander)
        visitor.member("created_at", incident.createdAt)
        visitor.member("detected_at", incident.detectedAt)
        visitor.member("escalation", nullable: incident.escalation.map(EscalationSummaryDTO.init))
        visitor.member("id", incident.id)
        visitor.member("impact", incident.impact)
        if let detail {
            visitor.member(
                "latest_status_update", encoded: detail.latestStatusUpdate.map(IncidentTimelineEntryDTO.init))
        }
        visitor.member("mitigated_at", incident.mitigatedAt)
        if let detail { visitor.member("public", detail.isPublic) }
        visitor.member("ref", incident.ref.description)
        visitor.member("resolution", incident.resolution)
        visitor.member("resolved_at", incident.resolvedAt)
        visitor.member("resolved_by", incident.resolvedBy)
        visitor.member("services", incident.services)
        visitor.member("severity", incident.severity.rawValue)
        visitor.member("sla", sla)
        visitor.member("sla_breached", incident.slaBreached)
        visitor.member("started_at", incident.startedAt)
        visitor.member("status", incident.status.rawValue)
        visitor.member("summary", incident.summary)
        visitor.member("title", incident.title)
        visitor.member("updated_at", incident.updatedAt)
    }
}

/// The acknowledgement SLA of an incident (SPEC §3): its deadline and where it stands.
struct IncidentSLADTO: JSONObjectShape {
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

    func visitMembers<Visitor: JSONMemberVisitor>(_ visitor: inout Visitor) {
        visitor.member("ack_due_at", ackDueAt)
        visitor.member("breached", breached)
        visitor.member("state", state)
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

/// An incident's escalation at a glance (SPEC §11): `{state, step, loop, next_step_at}`; the
/// whole plan and who was paged are at `GET /incidents/{id}/escalation`.
struct EscalationSummaryDTO: JSONObjectShape {
    let summary: EscalationSummary

    init(_ summary: EscalationSummary) { self.summary = summary }

    func visitMembers<Visitor: JSONMemberVisitor>(_ visitor: inout Visitor) {
        visitor.member("loop", Int64(summary.loop))
        visitor.member("next_step_at", summary.nextStepAt)
        visitor.member("state", summary.state.rawValue)
        visitor.member("step", Int64(summary.step))
    }
}
