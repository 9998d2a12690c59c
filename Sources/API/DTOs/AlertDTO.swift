import Domain
import Foundation
import Repositories

/// An alert as the API shows it (SPEC §3 fields). `deduplicated` only in trigger answers.
/// Absent values are explicit nulls, so clients see every field of SPEC §3.
struct AlertDTO: JSONObjectShape {
    let record: AlertRecord
    let deduplicated: Bool?

    init(_ record: AlertRecord, deduplicated: Bool? = nil) {
        self.record = record
        self.deduplicated = deduplicated
    }

    func visitMembers<Visitor: JSONMemberVisitor>(_ visitor: inout Visitor) {
        let alert = record.alert
        let stored = record.storedJSON
        visitor.member("acknowledged_at", alert.acknowledgedAt)
        visitor.member("acknowledged_by", alert.acknowledgedBy)
        visitor.member("dedup_key", alert.dedupKey)
        visitor.memberIfPresent("deduplicated", deduplicated)
        visitor.member("details", json: alert.details, storedText: stored?.details)
        visitor.member("event_count", Int64(alert.eventCount))
        visitor.member("first_seen_at", alert.firstSeenAt)
        visitor.member("id", alert.id)
        visitor.member("incident", alert.incidentID.map { EntityRef.incident($0).description })
        visitor.member("incident_id", alert.incidentID)
        visitor.member("last_seen_at", alert.lastSeenAt)
        visitor.member("links", json: alert.links, storedText: stored?.links)
        visitor.member("ref", alert.ref.description)
        visitor.member("resolution", alert.resolution)
        visitor.member("resolved_at", alert.resolvedAt)
        visitor.member("resolved_by", alert.resolvedBy)
        visitor.member("service", alert.service)
        visitor.member("service_id", record.serviceID)
        visitor.member("severity", alert.severity.rawValue)
        visitor.member("source", alert.source)
        visitor.member("status", alert.status.rawValue)
        visitor.member("summary", alert.summary)
        // SPEC §12: the maintenance window that held it back, kept as the record once it ended.
        visitor.member(
            "suppressed_by", alert.suppressedBy.map { EntityRef.maintenanceWindow($0).description })
        visitor.member("updated_at", alert.updatedAt)
    }
}
