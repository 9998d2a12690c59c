import Domain
import Foundation
import Postgres

/// What grouping did with a critical alert (SPEC §3).
public enum IncidentGroupingResult: Sendable, Hashable {
    /// The alert opened this new incident.
    case opened(Incident)
    /// The alert joined its service's open incident.
    case joined(Incident)

    /// The incident the alert is now in.
    public var incident: Incident {
        switch self {
        case .opened(let incident), .joined(let incident): incident
        }
    }
}

extension IncidentRepository {
    /// SPEC §3 grouping for a just-triggered alert: a critical alert opens an incident (the
    /// service's `critical_alert_incident_severity`, default SEV2) unless its service has an
    /// open incident, which it joins; the incident's timeline records it (`created`,
    /// `alert_attached`), and the log an `incident.opened` or `incident.updated` event. An
    /// opened incident is marked `opened_by_alert` (it resolves with its last alert) and, for
    /// SEV1/SEV2, starts its service's escalation policy. Returns nil when the alert is not
    /// grouped (not critical, resolved, already in an incident, or held back by a maintenance
    /// window).
    ///
    /// Call it in the trigger's transaction. The service row is locked first (`FOR NO KEY
    /// UPDATE`, which still lets other alerts of the service be inserted), so two critical
    /// alerts triggered at once, by any number of processes, queue here and the second sees
    /// the incident the first opened: never two incidents.
    public func group(_ alert: AlertRecord, actor: String, policy: SLAPolicy, now: Date) throws
        -> IncidentGroupingResult?
    {
        guard let service = try lockService(id: alert.serviceID) else { return nil }
        // Re-read under lock: a concurrent request may have attached or resolved it meanwhile.
        // SPEC §12: an alert a maintenance window holds back opens and joins nothing (so no
        // incident pages anyone); the window's end hands it back here.
        guard let current = try lockOpenAlert(alert.id), current.incidentID == nil, !current.isSuppressed
        else { return nil }
        let openID = try lockOpenIncident(serviceID: service.id)
        switch AlertGrouping.decide(
            severity: current.severity, summary: current.summary, service: service, openIncidentID: openID)
        {
        case .none:
            return nil
        case .join(let incidentID):
            try attach([current], to: incidentID, actor: actor, now: now)
            let joined = try update(
                "UPDATE incidents SET updated_at = \(now) WHERE id = \(incidentID) RETURNING *")
            try EventRepository(connection).append(
                .incident(
                    .incidentUpdated, joined, actor: actor,
                    extra: ["alerts_attached": .array([.string(current.alert.ref.description)])]),
                now: now)
            return .joined(joined)
        case .open(let title, let severity):
            let id = try insert(
                title: title, severity: severity,
                summary:
                    "Opened by critical alert \(current.alert.ref) on \(service.name): \(current.summary)",
                impact: nil, commander: nil, startedAt: min(current.firstSeenAt, now), detectedAt: now,
                policy: policy, now: now)
            try addServices([service.id], to: id)
            var created = NewTimelineEntry.created(title: title, severity: severity, actor: actor)
            created.data[TimelineEntry.DataKey.alert] = .string(current.alert.ref.description)
            try TimelineRepository(connection).append(created, to: .incident(id), now: now)
            try attach([current], to: id, actor: actor, now: now)
            try connection.execute("UPDATE incidents SET opened_by_alert = true WHERE id = \(id)")
            try EscalationRepository(connection).start(incidentID: id, severity: severity, now: now)
            let opened = try lock(id: id)
            try EventRepository(connection).append(
                .incident(
                    .incidentOpened, opened, actor: actor,
                    extra: [
                        "summary": opened.summary.map(JSONValue.string) ?? .null,
                        "alert": .string(current.alert.ref.description),
                        "alerts": .array([.string(current.alert.ref.description)]),
                    ]),
                now: now)
            return .opened(opened)
        }
    }

    /// Groups the alert of `trigger` when ``AlertTriggerResult/needsGrouping`` says so, and
    /// returns the trigger with the alert's incident (and `updated_at`) set; otherwise returns
    /// `trigger` unchanged. The hook every alert source's trigger path calls.
    public func groupTriggered(_ trigger: AlertTriggerResult, actor: String, policy: SLAPolicy, now: Date)
        throws
        -> AlertTriggerResult
    {
        guard trigger.needsGrouping,
            let grouped = try group(trigger.record, actor: actor, policy: policy, now: now)
        else { return trigger }
        var record = trigger.record
        record.alert.incidentID = grouped.incident.id
        record.alert.updatedAt = now
        return AlertTriggerResult(record: record, isNew: trigger.isNew)
    }

    /// The service row, locked against other groupings until the transaction ends.
    private func lockService(id: Int64) throws -> Service? {
        let rows = try connection.query(
            """
            SELECT id, name, description, critical_alert_incident_severity, created_at
            FROM services WHERE id = \(id) FOR NO KEY UPDATE
            """)
        guard let row = rows.first else { return nil }
        let severityText: String = try row.decode("critical_alert_incident_severity")
        return Service(
            id: try row.decode("id"), name: try row.decode("name"),
            description: try row.decode("description"),
            criticalAlertIncidentSeverity: IncidentSeverity(rawValue: severityText)
                ?? .defaultForCriticalAlert,
            createdAt: try row.decode("created_at"))
    }

    /// The alert, locked, if it is still open.
    private func lockOpenAlert(_ id: Int64) throws -> AlertRecord? {
        try connection.query(
            """
            SELECT \(sql: AlertRecord.columns) FROM alerts a JOIN services s ON s.id = a.service_id
            WHERE a.id = \(id) AND a.status <> 'resolved' FOR UPDATE OF a
            """
        ).first.map(AlertRecord.init(row:))
    }

    /// The service's newest open incident, locked (`FOR NO KEY UPDATE`, as
    /// ``IncidentRepository/lock(id:)`` says why). A new statement after the service lock, so
    /// it sees an incident a concurrent grouping committed while this one waited.
    private func lockOpenIncident(serviceID: Int64) throws -> Int64? {
        try connection.query(
            """
            SELECT i.id FROM incidents i JOIN incident_services x ON x.incident_id = i.id
            WHERE x.service_id = \(serviceID) AND i.status <> 'resolved'
            ORDER BY i.id DESC LIMIT 1 FOR NO KEY UPDATE OF i
            """
        ).first.map { try $0.decode("id") }
    }
}
