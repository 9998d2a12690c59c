import Domain
import Foundation
import Postgres

/// The result of a state-changing request on an incident.
public struct IncidentChange: Sendable, Hashable {
    /// The incident after the request.
    public let incident: Incident
    /// False for a no-op (acknowledging an acknowledged incident, the same status without a
    /// message): nothing was written.
    public let changed: Bool

    public init(incident: Incident, changed: Bool) {
        self.incident = incident
        self.changed = changed
    }
}

extension IncidentRepository {
    /// Acknowledges incident `id` with an `acknowledged` entry, and acknowledges its triggered
    /// alerts, each with its own `alert_acknowledged` entry (issue 6), and stops its escalation
    /// (cancelling pending pages; SPEC §11); events:
    /// `incident.acknowledged`, then one `alert.acknowledged` per alert carried along. Acknowledging an
    /// acknowledged incident changes nothing. A late acknowledgement marks `sla_breached`
    /// (``SLAPolicy/isBreached(ackDueAt:acknowledgedAt:resolvedAt:now:)``) even when the SLA job
    /// has not run yet. Throws `.notFound`, or `.conflict` when the incident is resolved.
    public func acknowledge(id: Int64, actor: String, note: String?, now: Date) throws -> IncidentChange {
        let locked = try lock(id: id)
        switch IncidentTransition.acknowledge(
            status: locked.status, isAcknowledged: locked.acknowledgedAt != nil)
        {
        case .noOp:
            return IncidentChange(incident: locked, changed: false)
        case .conflict(let reason):
            throw DomainError.conflict("\(locked.ref): \(reason)")
        case .apply:
            try EscalationRepository(connection).stop(
                incidentID: id, as: .acknowledged, actor: actor, reason: "\(locked.ref) acknowledged",
                now: now)
            let updated = try update(
                """
                UPDATE incidents SET acknowledged_at = \(now), acknowledged_by = \(actor),
                                     sla_breached = sla_breached OR ack_due_at < \(now), updated_at = \(now)
                WHERE id = \(id) RETURNING *
                """)
            try TimelineRepository(connection).append(
                .acknowledged(actor: actor, note: note), to: .incident(id), now: now)
            let alerts = try cascadeAcknowledge(incident: locked.ref, actor: actor, now: now)
            try EventRepository(connection).append(
                [.incident(.incidentAcknowledged, updated, actor: actor, extra: ["note": Self.json(note)])]
                    + alerts.map { Self.cascadeEvent(.alertAcknowledged, $0, actor: actor) },
                now: now)
            return IncidentChange(incident: updated, changed: true)
        }
    }

    /// `POST /incidents/{id}/status {status, message}`: moves the status forward along
    /// SPEC §3's order (`status_changed` entry; reaching `monitoring` sets `mitigated_at`),
    /// records the message as a `status_update` entry, and treats `resolved` like
    /// ``resolve(id:actor:resolution:now:)`` (the message is the resolution). The same status
    /// with a message records only the update; without one it is a no-op. Events:
    /// `incident.status_changed` (`incident.resolved` for `resolved`), `incident.status_update` for
    /// the message, `alert.resolved` per alert a resolution carried along. Throws `.notFound`,
    /// or `.conflict` for a backwards move or a resolved incident.
    public func changeStatus(id: Int64, to change: StatusChange, actor: String, now: Date) throws
        -> IncidentChange
    {
        let locked = try lock(id: id)
        let outcome = IncidentTransition.changeStatus(
            from: locked.status, to: change.status, hasMessage: change.message != nil)
        let timeline = TimelineRepository(connection)
        switch outcome {
        case .noOp:
            return IncidentChange(incident: locked, changed: false)
        case .conflict(let reason):
            throw DomainError.conflict("\(locked.ref): \(reason)")
        case .updateOnly:
            let updated = try update("UPDATE incidents SET updated_at = \(now) WHERE id = \(id) RETURNING *")
            if let message = change.message {
                try timeline.append(
                    .statusUpdate(status: locked.status, message: message, actor: actor), to: .incident(id),
                    now: now)
                try EventRepository(connection).append(
                    .incident(
                        .incidentStatusUpdate, updated, actor: actor, extra: ["message": .string(message)]),
                    now: now)
            }
            return IncidentChange(incident: updated, changed: true)
        case .change:
            let updated: Incident
            if change.status == .resolved {
                try EscalationRepository(connection).stop(
                    incidentID: id, as: .resolved, actor: actor, reason: "\(locked.ref) resolved", now: now)
                updated = try markResolved(locked, actor: actor, resolution: change.message, now: now)
            } else {
                updated = try update(
                    """
                    UPDATE incidents SET status = \(change.status.rawValue), updated_at = \(now),
                        mitigated_at = CASE WHEN \(change.status.rawValue) = 'monitoring'
                                            THEN COALESCE(mitigated_at, \(now)) ELSE mitigated_at END
                    WHERE id = \(id) RETURNING *
                    """)
            }
            try timeline.append(
                .statusChanged(from: locked.status, to: change.status, actor: actor), to: .incident(id),
                now: now)
            if let message = change.message {
                try timeline.append(
                    .statusUpdate(status: change.status, message: message, actor: actor), to: .incident(id),
                    now: now)
            }
            var events: [NewEvent] = []
            if change.status == .resolved {
                events.append(
                    .incident(
                        .incidentResolved, updated, actor: actor,
                        extra: [
                            "from": .string(locked.status.rawValue), "resolution": Self.json(change.message),
                        ]))
            } else {
                events.append(
                    .incident(
                        .incidentStatusChanged, updated, actor: actor,
                        extra: [
                            "from": .string(locked.status.rawValue), "to": .string(change.status.rawValue),
                        ]))
            }
            if let message = change.message {
                events.append(
                    .incident(
                        .incidentStatusUpdate, updated, actor: actor, extra: ["message": .string(message)]))
            }
            if change.status == .resolved {
                let alerts = try cascadeResolve(
                    incident: locked.ref, actor: actor, resolution: change.message, now: now)
                events += alerts.map { Self.cascadeEvent(.alertResolved, $0, actor: actor) }
            }
            try EventRepository(connection).append(events, now: now)
            return IncidentChange(incident: updated, changed: true)
        }
    }

    /// Resolves incident `id` from any open status with a `resolved` entry (body: the
    /// resolution; `data` holds `from` and `to`), and resolves its open alerts, each with its
    /// own `alert_resolved` entry (issue 6), and stops its escalation; events: `incident.resolved`,
    /// then one `alert.resolved`
    /// per alert. Throws `.notFound`, or `.conflict` when it is
    /// already resolved.
    public func resolve(id: Int64, actor: String, resolution: String?, now: Date) throws -> IncidentChange {
        let locked = try lock(id: id)
        if let conflict = DomainError.from(IncidentTransition.resolve(status: locked.status)) {
            throw DomainError.conflict("\(locked.ref): \(conflict)")
        }
        try EscalationRepository(connection).stop(
            incidentID: id, as: .resolved, actor: actor, reason: "\(locked.ref) resolved", now: now)
        let updated = try markResolved(locked, actor: actor, resolution: resolution, now: now)
        var entry = NewTimelineEntry.resolved(resolution: resolution, actor: actor)
        entry.data = [
            TimelineEntry.DataKey.from: .string(locked.status.rawValue),
            TimelineEntry.DataKey.to: .string(IncidentStatus.resolved.rawValue),
        ]
        try TimelineRepository(connection).append(entry, to: .incident(id), now: now)
        let alerts = try cascadeResolve(incident: locked.ref, actor: actor, resolution: resolution, now: now)
        try EventRepository(connection).append(
            [
                .incident(
                    .incidentResolved, updated, actor: actor,
                    extra: ["from": .string(locked.status.rawValue), "resolution": Self.json(resolution)])
            ] + alerts.map { Self.cascadeEvent(.alertResolved, $0, actor: actor) },
            now: now)
        return IncidentChange(incident: updated, changed: true)
    }

    /// Sets the resolved columns of a locked incident. Resolving without an acknowledgement
    /// after the deadline counts as a breach (``SLAPolicy/isBreached(ackDueAt:acknowledgedAt:resolvedAt:now:)``).
    func markResolved(_ locked: Incident, actor: String, resolution: String?, now: Date) throws
        -> Incident
    {
        try update(
            """
            UPDATE incidents SET status = 'resolved', resolved_at = \(now), resolved_by = \(actor),
                                 resolution = \(resolution), updated_at = \(now),
                                 sla_breached = sla_breached OR (acknowledged_at IS NULL AND ack_due_at < \(now))
            WHERE id = \(locked.id) RETURNING *
            """)
    }

    /// Acknowledges the incident's triggered alerts, one `alert_acknowledged` entry each (on the
    /// alert's, its service's and the incident's timelines). READ COMMITTED re-checks `status`
    /// after waiting on an alert a concurrent request is acknowledging, so none is logged twice.
    private func cascadeAcknowledge(incident: EntityRef, actor: String, now: Date) throws -> [AlertRecord] {
        let alerts = try cascade(
            """
            UPDATE alerts SET status = 'acknowledged', acknowledged_at = \(now), acknowledged_by = \(actor),
                              updated_at = \(now)
            WHERE incident_id = \(incident.id) AND status = 'triggered'
            RETURNING *
            """)
        let timeline = TimelineRepository(connection)
        for alert in alerts {
            try timeline.append(
                .alertAcknowledged(
                    alert: alert.alert.ref, actor: actor, note: "Acknowledged with \(incident)"),
                to: TimelineSubject(incidentID: incident.id, alertID: alert.id, serviceID: alert.serviceID),
                now: now)
        }
        return alerts
    }

    /// Resolves the incident's open alerts, one `alert_resolved` entry each.
    private func cascadeResolve(incident: EntityRef, actor: String, resolution: String?, now: Date) throws
        -> [AlertRecord]
    {
        let text = resolution ?? "Resolved with \(incident)"
        let alerts = try cascade(
            """
            UPDATE alerts SET status = 'resolved', resolved_at = \(now), resolved_by = \(actor),
                              resolution = \(text), updated_at = \(now)
            WHERE incident_id = \(incident.id) AND status <> 'resolved'
            RETURNING *
            """)
        let timeline = TimelineRepository(connection)
        for alert in alerts {
            try timeline.append(
                .alertResolved(alert: alert.alert.ref, actor: actor, resolution: text),
                to: TimelineSubject(incidentID: incident.id, alertID: alert.id, serviceID: alert.serviceID),
                now: now)
        }
        return alerts
    }

    /// Runs a cascading `UPDATE alerts ... RETURNING *` and reads the alerts back by id
    /// (RETURNING has no order), with their service names.
    private func cascade(_ statement: PostgresQuery) throws -> [AlertRecord] {
        try connection.query(
            """
            WITH a AS (\(statement))
            SELECT \(sql: AlertRecord.columns) FROM a JOIN services s ON s.id = a.service_id ORDER BY a.id
            """
        ).map(AlertRecord.init(row:))
    }

    /// The event of an alert the incident's acknowledgement or resolution carried along.
    private static func cascadeEvent(_ type: EventType, _ alert: AlertRecord, actor: String) -> NewEvent {
        .alert(type, alert.alert, serviceID: alert.serviceID, actor: actor)
    }

    /// A text for an event's `data`, null when absent.
    static func json(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}
