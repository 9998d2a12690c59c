import Domain
import Foundation
import Postgres

extension IncidentRepository {
    /// Applies a `PATCH /incidents/{id}`: one timeline entry per field whose value changes,
    /// holding the old and new value (`field_changed` for title, summary and impact,
    /// `severity_changed`, `assigned` for the commander). A severity change recomputes
    /// `ack_due_at` from `policy` (issue 6). Unchanged values write nothing; an empty patch
    /// returns the incident as it is. A change also appends one `incident.updated` event whose
    /// `data.changes` lists `{field, from, to}` per changed field. Raising an unacknowledged
    /// incident to SEV1/SEV2 starts its escalation. Throws `.notFound`, or `.conflict` when it is
    /// resolved.
    public func update(id: Int64, patch: IncidentPatch, actor: String, policy: SLAPolicy, now: Date) throws
        -> IncidentChange
    {
        let locked = try lock(id: id)
        if patch.isEmpty { return IncidentChange(incident: locked, changed: false) }
        if let conflict = DomainError.from(IncidentTransition.edit(status: locked.status)) {
            throw DomainError.conflict("\(locked.ref): \(conflict)")
        }
        let entries = Self.entries(for: patch, on: locked, actor: actor)
        guard !entries.isEmpty else { return IncidentChange(incident: locked, changed: false) }
        let title = patch.title ?? locked.title
        let severity = patch.severity ?? locked.severity
        let summary = patch.summary.map { $0.applied(to: locked.summary) } ?? locked.summary
        let impact = patch.impact.map { $0.applied(to: locked.impact) } ?? locked.impact
        let commander = patch.commander.map { $0.applied(to: locked.commander) } ?? locked.commander
        let ackDue = policy.ackDue(detectedAt: locked.detectedAt, severity: severity)
        let updated = try update(
            """
            UPDATE incidents SET title = \(title), severity = \(severity.rawValue), summary = \(summary),
                                 impact = \(impact), commander = \(commander), ack_due_at = \(ackDue),
                                 updated_at = \(now)
            WHERE id = \(id) RETURNING *
            """)
        let timeline = TimelineRepository(connection)
        for entry in entries { try timeline.append(entry, to: .incident(id), now: now) }
        var current = updated
        // SPEC §11: raised to SEV1/SEV2 before anyone acknowledged it: its policy starts paging
        // (an incident escalates once; one already escalating carries on).
        if severity != locked.severity, severity.pages, locked.acknowledgedAt == nil,
            try EscalationRepository(connection).start(incidentID: id, severity: severity, now: now)
        {
            current = try lock(id: id)
        }
        // One event for the whole PATCH, listing each field that changed (as its entries do).
        let changes: [JSONValue] = entries.map { entry in
            .object([
                "field": entry.data[TimelineEntry.DataKey.field]
                    ?? .string(entry.kind == .severityChanged ? "severity" : "commander"),
                "from": entry.data[TimelineEntry.DataKey.from] ?? .null,
                "to": entry.data[TimelineEntry.DataKey.to] ?? .null,
            ])
        }
        try EventRepository(connection).append(
            .incident(.incidentUpdated, current, actor: actor, extra: ["changes": .array(changes)]), now: now)
        return IncidentChange(incident: current, changed: true)
    }

    /// The entries a patch writes: one per field whose value really changes, in a fixed order.
    static func entries(for patch: IncidentPatch, on incident: Incident, actor: String) -> [NewTimelineEntry]
    {
        var entries: [NewTimelineEntry] = []
        if let title = patch.title, title != incident.title {
            entries.append(.fieldChanged(field: "title", from: incident.title, to: title, actor: actor))
        }
        if let severity = patch.severity, severity != incident.severity {
            entries.append(.severityChanged(from: incident.severity, to: severity, actor: actor))
        }
        func textChange(_ field: String, _ update: FieldUpdate<String>?, _ current: String?) {
            guard let update, update.applied(to: current) != current else { return }
            entries.append(
                .fieldChanged(field: field, from: current, to: update.applied(to: current), actor: actor))
        }
        textChange("summary", patch.summary, incident.summary)
        textChange("impact", patch.impact, incident.impact)
        if let commander = patch.commander, commander.applied(to: incident.commander) != incident.commander {
            entries.append(
                .assigned(
                    from: incident.commander, to: commander.applied(to: incident.commander), actor: actor))
        }
        return entries
    }

    /// Attaches alerts `alertIDs` to incident `id` (`POST /incidents/{id}/alerts`): one
    /// `alert_attached` entry each, the alerts' services added to the incident's. Alerts already
    /// attached are skipped; an `incident.updated` event names the attached ones
    /// (`data.alerts_attached`). Throws `.notFound`, a ``ValidationError`` naming `alert_ids[i]`
    /// for an unknown alert, `.conflict` for an alert in another incident or a resolved incident.
    public func attachAlerts(id: Int64, alertIDs: [Int64], actor: String, now: Date) throws -> IncidentChange
    {
        let locked = try lock(id: id)
        if let conflict = DomainError.from(IncidentTransition.edit(status: locked.status)) {
            throw DomainError.conflict("\(locked.ref): \(conflict)")
        }
        let alerts = try lockAlertsForAttaching(alertIDs, to: id)
        let attached = try attach(alerts, to: id, actor: actor, now: now)
        guard !attached.isEmpty else { return IncidentChange(incident: locked, changed: false) }
        let updated = try update("UPDATE incidents SET updated_at = \(now) WHERE id = \(id) RETURNING *")
        try EventRepository(connection).append(
            .incident(
                .incidentUpdated, updated, actor: actor,
                extra: ["alerts_attached": .array(attached.map { .string($0.alert.ref.description) })]),
            now: now)
        return IncidentChange(incident: updated, changed: true)
    }
}
