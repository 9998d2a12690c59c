import Domain
import Foundation
import Postgres

/// An alert as stored: the domain ``Alert`` plus the id of its service, which the API needs to
/// hold routing keys to their own service (SPEC §5). Reads through to the alert's fields, so
/// `record.summary` is `record.alert.summary`.
@dynamicMemberLookup
public struct AlertRecord: Sendable, Hashable {
    public var alert: Alert
    public var serviceID: Int64

    public init(alert: Alert, serviceID: Int64) {
        self.alert = alert
        self.serviceID = serviceID
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<Alert, Value>) -> Value {
        alert[keyPath: keyPath]
    }
}

extension AlertRecord {
    /// Columns every alert query selects; `a` is `alerts`, `s` its service.
    static let columns: StaticString = """
        a.id, a.service_id, s.name AS service_name, a.source, a.summary, a.severity, a.status, a.dedup_key,
        a.event_count, a.details, a.links, a.first_seen_at, a.last_seen_at, a.acknowledged_at,
        a.acknowledged_by, a.resolved_at, a.resolved_by, a.resolution, a.incident_id, a.updated_at
        """

    /// Decodes a row selected with ``columns``.
    init(row: PostgresRow) throws {
        let severityText: String = try row.decode("severity")
        let statusText: String = try row.decode("status")
        guard let severity = AlertSeverity(rawValue: severityText) else {
            throw PostgresError(
                .decoding, message: "unknown alert severity \(severityText)", column: "severity")
        }
        guard let status = AlertStatus(rawValue: statusText) else {
            throw PostgresError(.decoding, message: "unknown alert status \(statusText)", column: "status")
        }
        let decoder = JSONDecoder()
        let details = try row.decode("details", as: PostgresJSON.self).decode(
            as: [String: JSONValue].self, decoder: decoder)
        let links = try row.decode("links", as: PostgresJSON.self).decode(
            as: [AlertLink].self, decoder: decoder)
        let alert = Alert(
            id: try row.decode("id"), service: try row.decode("service_name"),
            source: try row.decode("source"),
            summary: try row.decode("summary"), severity: severity, status: status,
            dedupKey: try row.decode("dedup_key"), eventCount: try row.decode("event_count"),
            details: details,
            links: links, firstSeenAt: try row.decode("first_seen_at"),
            lastSeenAt: try row.decode("last_seen_at"),
            acknowledgedAt: try row.decode("acknowledged_at"),
            acknowledgedBy: try row.decode("acknowledged_by"),
            resolvedAt: try row.decode("resolved_at"), resolvedBy: try row.decode("resolved_by"),
            resolution: try row.decode("resolution"), incidentID: try row.decode("incident_id"),
            updatedAt: try row.decode("updated_at"))
        self.init(alert: alert, serviceID: try row.decode("service_id"))
    }
}
