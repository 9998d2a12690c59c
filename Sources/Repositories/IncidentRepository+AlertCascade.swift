import Domain
import Foundation
import Postgres

/// What an alert's acknowledgement or resolution does to its incident (SPEC §11, docs/ALERTS.md):
/// it stops the incident's escalation; the first acknowledgement of any of its alerts
/// acknowledges the incident (that moment is its MTTA); and an incident an alert opened resolves
/// when its last open alert does (an incident a person declared stays open). Every door that
/// acknowledges or resolves an alert (native, runbook, PagerDuty, Alertmanager, chat) goes
/// through ``AlertRepository``, which calls these in its transaction.
extension IncidentRepository {
    /// After alert `alert` was acknowledged by `actor`: stops its incident's escalation and
    /// acknowledges the incident if nobody had (an `acknowledged` entry naming the alert, an
    /// `incident.acknowledged` event with `data.alert`). Returns the incident when it changed.
    @discardableResult
    func alertAcknowledged(_ alert: AlertRecord, actor: String, note: String?, now: Date) throws -> Incident?
    {
        guard let incidentID = alert.incidentID else { return nil }
        let locked = try lock(id: incidentID)
        try EscalationRepository(connection).stop(
            incidentID: incidentID, as: .acknowledged, actor: actor,
            reason: "\(alert.alert.ref) acknowledged",
            now: now)
        guard locked.isOpen, locked.acknowledgedAt == nil else { return nil }
        let updated = try update(
            """
            UPDATE incidents SET acknowledged_at = \(now), acknowledged_by = \(actor),
                                 sla_breached = sla_breached OR ack_due_at < \(now), updated_at = \(now)
            WHERE id = \(incidentID) RETURNING *
            """)
        var entry = NewTimelineEntry.acknowledged(
            actor: actor, note: note ?? "Acknowledged with \(alert.alert.ref)")
        entry.data[TimelineEntry.DataKey.alert] = .string(alert.alert.ref.description)
        try TimelineRepository(connection).append(entry, to: .incident(incidentID), now: now)
        try EventRepository(connection).append(
            .incident(
                .incidentAcknowledged, updated, actor: actor,
                extra: ["note": Self.json(note), "alert": .string(alert.alert.ref.description)]),
            now: now)
        return updated
    }

    /// After alert `alert` was resolved by `actor`: stops its incident's escalation and, when an
    /// alert opened the incident and this was its last open alert, resolves the incident (a
    /// `resolved` entry and an `incident.resolved` event naming the alert). Returns the incident
    /// when it was resolved.
    @discardableResult
    func alertResolved(_ alert: AlertRecord, actor: String, resolution: String?, now: Date) throws
        -> Incident?
    {
        guard let incidentID = alert.incidentID else { return nil }
        let locked = try lock(id: incidentID)
        try EscalationRepository(connection).stop(
            incidentID: incidentID, as: .resolved, actor: actor, reason: "\(alert.alert.ref) resolved",
            now: now)
        guard locked.isOpen else { return nil }
        let row = try connection.query(
            """
            SELECT i.opened_by_alert,
                   EXISTS (SELECT 1 FROM alerts a WHERE a.incident_id = i.id AND a.status <> 'resolved') AS open_alerts
            FROM incidents i WHERE i.id = \(incidentID)
            """)[0]
        guard try row.decode("opened_by_alert", as: Bool.self), try !row.decode("open_alerts", as: Bool.self)
        else {
            return nil
        }
        let text = "All alerts resolved (last: \(alert.alert.ref)" + (resolution.map { ": \($0))" } ?? ")")
        let updated = try markResolved(locked, actor: actor, resolution: text, now: now)
        var entry = NewTimelineEntry.resolved(resolution: text, actor: actor)
        entry.data = [
            TimelineEntry.DataKey.from: .string(locked.status.rawValue),
            TimelineEntry.DataKey.to: .string(IncidentStatus.resolved.rawValue),
            TimelineEntry.DataKey.alert: .string(alert.alert.ref.description),
        ]
        try TimelineRepository(connection).append(entry, to: .incident(incidentID), now: now)
        try EventRepository(connection).append(
            .incident(
                .incidentResolved, updated, actor: actor,
                extra: [
                    "from": .string(locked.status.rawValue), "resolution": .string(text),
                    "alert": .string(alert.alert.ref.description),
                ]),
            now: now)
        return updated
    }

    /// Locks the incident of the alert `alertQuery` selects (its `incident_id`), if it has one,
    /// before the alert itself is locked: the order every incident operation takes (the incident,
    /// then its alerts), so an alert's acknowledgement and its incident's cannot deadlock.
    func lockIncident(ofAlert alertQuery: PostgresQuery) throws {
        guard let row = try connection.query(alertQuery).first,
            let incidentID: Int64 = try row.decode("incident_id")
        else { return }
        _ = try lock(id: incidentID)
    }
}
