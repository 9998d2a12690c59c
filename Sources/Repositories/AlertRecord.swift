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
    /// The stored `details` and `links` jsonb text as PostgreSQL printed it, when the query that
    /// read the record kept it (the trigger path, so its answer can copy the JSON through
    /// instead of re-encoding decoded values); nil otherwise. Not part of equality: it is
    /// another spelling of `alert.details` and `alert.links`.
    public var storedJSON: StoredJSON?

    /// The jsonb columns of an alert as text.
    public struct StoredJSON: Sendable, Hashable {
        public var details: String
        public var links: String

        public init(details: String, links: String) {
            self.details = details
            self.links = links
        }
    }

    public init(alert: Alert, serviceID: Int64) {
        self.alert = alert
        self.serviceID = serviceID
    }

    public static func == (lhs: AlertRecord, rhs: AlertRecord) -> Bool {
        lhs.alert == rhs.alert && lhs.serviceID == rhs.serviceID
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(alert)
        hasher.combine(serviceID)
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
        a.acknowledged_by, a.resolved_at, a.resolved_by, a.resolution, a.incident_id, a.updated_at,
        a.suppressed_by, a.suppression_ended_at
        """

    /// Decodes a row selected with ``columns``.
    init(row: PostgresRow) throws {
        let decoder = JSONDecoder()
        let details = try row.decode("details", as: PostgresJSON.self).decode(
            as: [String: JSONValue].self, decoder: decoder)
        let links = try row.decode("links", as: PostgresJSON.self).decode(
            as: [AlertLink].self, decoder: decoder)
        try self.init(row: row, details: details, links: links)
    }

    /// Decodes a row selected with ``columns`` whose `details` and `links` the caller already
    /// holds decoded (a trigger stores what it was sent), keeping the columns' text.
    init(row: PostgresRow, details: [String: JSONValue], links: [AlertLink]) throws {
        let severityText: String = try row.decode("severity")
        let statusText: String = try row.decode("status")
        guard let severity = AlertSeverity(rawValue: severityText) else {
            throw PostgresError(
                .decoding, message: "unknown alert severity \(severityText)", column: "severity")
        }
        guard let status = AlertStatus(rawValue: statusText) else {
            throw PostgresError(.decoding, message: "unknown alert status \(statusText)", column: "status")
        }
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
            updatedAt: try row.decode("updated_at"), suppressedBy: try row.decode("suppressed_by"),
            suppressionEndedAt: try row.decode("suppression_ended_at"))
        self.init(alert: alert, serviceID: try row.decode("service_id"))
        storedJSON = StoredJSON(
            details: try row.decode("details", as: PostgresJSON.self).text,
            links: try row.decode("links", as: PostgresJSON.self).text)
    }
}
