import Domain
import Foundation
import Postgres

extension IncidentRepository {
    /// Declares an incident (`POST /incidents`): the row with its channel name (seed 004) and
    /// `ack_due_at` from `policy`, its services, a `created` entry, the alerts of
    /// `new.alertIDs` attached (one `alert_attached` entry each), an `incident.opened` event, and
    /// for SEV1/SEV2 its escalation started (``EscalationRepository/start(incidentID:severity:now:)``).
    ///
    /// Throws a ``ValidationError`` naming `services[i]` or `alert_ids[i]` for a service or
    /// alert that does not exist, and `DomainError.conflict` for an alert already in another
    /// incident.
    public func create(_ new: NewIncident, actor: String, policy: SLAPolicy, now: Date) throws -> Incident {
        let serviceIDs = try serviceIDs(named: new.services)
        let alerts = try lockAlertsForAttaching(new.alertIDs, to: nil)
        let id = try insert(
            title: new.title, severity: new.severity, summary: new.summary, impact: new.impact,
            commander: new.commander, startedAt: new.startedAt, detectedAt: new.detectedAt, policy: policy,
            now: now)
        try addServices(serviceIDs, to: id)
        try TimelineRepository(connection).append(
            .created(title: new.title, severity: new.severity, actor: actor), to: .incident(id), now: now)
        try attach(alerts, to: id, actor: actor, now: now)
        // SPEC §11: a SEV1/SEV2 incident pages through its service's policy from now on.
        try EscalationRepository(connection).start(incidentID: id, severity: new.severity, now: now)
        let incident = try lock(id: id)
        try EventRepository(connection).append(
            .incident(
                .incidentOpened, incident, actor: actor,
                extra: [
                    "summary": incident.summary.map(JSONValue.string) ?? .null,
                    "impact": incident.impact.map(JSONValue.string) ?? .null,
                    "alerts": .array(alerts.map { .string($0.alert.ref.description) }),
                ]),
            now: now)
        return incident
    }

    /// Inserts the incident row and returns its id.
    func insert(
        title: String, severity: IncidentSeverity, summary: String?, impact: String?, commander: String?,
        startedAt: Date, detectedAt: Date, policy: SLAPolicy, now: Date
    ) throws -> Int64 {
        let channel = IncidentChannel.name(title: title, date: detectedAt)
        let ackDue = policy.ackDue(detectedAt: detectedAt, severity: severity)
        let rows = try connection.query(
            """
            INSERT INTO incidents (title, severity, summary, impact, commander, channel, started_at, detected_at,
                                   ack_due_at, created_at, updated_at)
            VALUES (\(title), \(severity.rawValue), \(summary), \(impact), \(commander), \(channel), \(startedAt),
                    \(detectedAt), \(ackDue), \(now), \(now))
            RETURNING id
            """)
        return try rows[0].decode("id")
    }

    /// The ids of the services named `names`, in order; a ``ValidationError`` names each
    /// `services[i]` that does not exist (incidents never create services: that is an admin's).
    func serviceIDs(named names: [String]) throws -> [Int64] {
        guard !names.isEmpty else { return [] }
        let rows = try connection.query("SELECT id, name FROM services WHERE name = ANY(\(names))")
        var ids: [String: Int64] = [:]
        for row in rows { ids[try row.decode("name")] = try row.decode("id") }
        var issues: [FieldIssue] = []
        for (index, name) in names.enumerated() where ids[name] == nil {
            issues.append(FieldIssue(field: "services[\(index)]", message: "no service is named \(name)"))
        }
        guard issues.isEmpty else { throw ValidationError(issues) }
        return names.compactMap { ids[$0] }
    }

    /// Alerts `ids`, locked in id order (so concurrent attaches cannot deadlock), for attaching
    /// to incident `incidentID` (nil: a new incident). A ``ValidationError`` names each
    /// `alert_ids[i]` that does not exist; an alert already in another incident is a conflict.
    func lockAlertsForAttaching(_ ids: [Int64], to incidentID: Int64?) throws -> [AlertRecord] {
        guard !ids.isEmpty else { return [] }
        let records = try connection.query(
            """
            SELECT \(sql: AlertRecord.columns) FROM alerts a JOIN services s ON s.id = a.service_id
            WHERE a.id = ANY(\(ids)) ORDER BY a.id FOR UPDATE OF a
            """
        ).map(AlertRecord.init(row:))
        let found = Set(records.map(\.id))
        var issues: [FieldIssue] = []
        for (index, id) in ids.enumerated() where !found.contains(id) {
            issues.append(
                FieldIssue(field: "alert_ids[\(index)]", message: "no alert \(EntityRef.alert(id)) exists"))
        }
        guard issues.isEmpty else { throw ValidationError(issues) }
        if let taken = records.first(where: { $0.incidentID != nil && $0.incidentID != incidentID }),
            let other = taken.incidentID
        {
            throw DomainError.conflict(
                "\(taken.alert.ref) already belongs to \(EntityRef.incident(other)); an alert is in one incident only."
            )
        }
        // Keep the caller's order for the timeline.
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
        return ids.compactMap { byID[$0] }
    }

    /// Attaches locked `alerts` to incident `incidentID`: sets their `incident_id`, adds their
    /// services to the incident, and writes one `alert_attached` entry each. Alerts already in
    /// the incident are skipped. Returns the alerts that were attached.
    @discardableResult
    func attach(_ alerts: [AlertRecord], to incidentID: Int64, actor: String, now: Date) throws
        -> [AlertRecord]
    {
        let attaching = alerts.filter { $0.incidentID != incidentID }
        guard !attaching.isEmpty else { return [] }
        try connection.execute(
            """
            UPDATE alerts SET incident_id = \(incidentID), updated_at = \(now)
            WHERE id = ANY(\(attaching.map(\.id)))
            """)
        var serviceIDs: [Int64] = []
        for record in attaching where !serviceIDs.contains(record.serviceID) {
            serviceIDs.append(record.serviceID)
        }
        try addServices(serviceIDs, to: incidentID)
        let timeline = TimelineRepository(connection)
        for record in attaching {
            try timeline.append(
                .alertAttached(alert: record.alert.ref, summary: record.summary, actor: actor),
                to: TimelineSubject(incidentID: incidentID, alertID: record.id), now: now)
        }
        return attaching
    }
}
