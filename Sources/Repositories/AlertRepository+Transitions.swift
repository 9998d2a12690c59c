import Domain
import Foundation
import Postgres

/// The result of an acknowledge or resolve.
public struct AlertTransitionResult: Sendable, Hashable {
    /// The alert after the request.
    public let record: AlertRecord
    /// False for a no-op (acknowledging an acknowledged alert, SPEC §3).
    public let changed: Bool
}

extension AlertRepository {
    /// Acknowledges alert `id` (SPEC §3): triggered → acknowledged, with an
    /// `alert_acknowledged` entry and an `alert.acknowledged` event; its incident's escalation
    /// stops and, if nobody had yet, the incident is acknowledged
    /// (``IncidentRepository/alertAcknowledged(_:actor:note:now:)``). An acknowledged alert is
    /// returned unchanged. Throws `DomainError.notFound` for no such alert, `.conflict` when it
    /// is resolved.
    public func acknowledge(id: Int64, actor: String, note: String?, now: Date) throws
        -> AlertTransitionResult
    {
        try IncidentRepository(connection).lockIncident(
            ofAlert: "SELECT incident_id FROM alerts WHERE id = \(id)")
        guard let locked = try lock(id: id) else {
            throw DomainError.notFound(.alert, EntityRef.alert(id).description)
        }
        return try acknowledge(locked, actor: actor, note: note, now: now)
    }

    /// Resolves alert `id` (SPEC §3): triggered or acknowledged → resolved, with an
    /// `alert_resolved` entry and an `alert.resolved` event; its incident's escalation stops and
    /// an incident it opened resolves with its last alert
    /// (``IncidentRepository/alertResolved(_:actor:resolution:now:)``). Throws `.notFound`, or
    /// `.conflict` when it is already resolved.
    public func resolve(id: Int64, actor: String, resolution: String?, now: Date) throws
        -> AlertTransitionResult
    {
        try IncidentRepository(connection).lockIncident(
            ofAlert: "SELECT incident_id FROM alerts WHERE id = \(id)")
        guard let locked = try lock(id: id) else {
            throw DomainError.notFound(.alert, EntityRef.alert(id).description)
        }
        return try resolve(locked, actor: actor, resolution: resolution, now: now)
    }

    /// Acknowledges the open alert of `serviceID` with `dedupKey` (PagerDuty); nil when none is open.
    public func acknowledgeOpen(serviceID: Int64, dedupKey: String, actor: String, note: String?, now: Date)
        throws
        -> AlertTransitionResult?
    {
        try lockIncidentOfOpen(serviceID: serviceID, dedupKey: dedupKey)
        guard let locked = try lockOpen(serviceID: serviceID, dedupKey: dedupKey) else { return nil }
        return try acknowledge(locked, actor: actor, note: note, now: now)
    }

    /// Resolves the open alert of `serviceID` with `dedupKey` (PagerDuty, Alertmanager); nil
    /// when none is open. With `startedAt`, only an alert whose `details.starts_at` is that
    /// value (or absent) is resolved, so a late "resolved" of an earlier episode cannot close
    /// a newer one with the same fingerprint.
    public func resolveOpen(
        serviceID: Int64, dedupKey: String, startedAt: String? = nil, actor: String, resolution: String?,
        now: Date
    ) throws -> AlertTransitionResult? {
        try lockIncidentOfOpen(serviceID: serviceID, dedupKey: dedupKey)
        guard let locked = try lockOpen(serviceID: serviceID, dedupKey: dedupKey) else { return nil }
        if let startedAt, let stored = locked.details["starts_at"]?.stringValue, stored != startedAt {
            return nil
        }
        return try resolve(locked, actor: actor, resolution: resolution, now: now)
    }

    private func acknowledge(_ locked: AlertRecord, actor: String, note: String?, now: Date) throws
        -> AlertTransitionResult
    {
        switch AlertTransition.acknowledge(from: locked.status) {
        case .noOp:
            return AlertTransitionResult(record: locked, changed: false)
        case .conflict(let reason):
            throw DomainError.conflict("\(locked.alert.ref): \(reason)")
        case .apply:
            let updated = try update(
                """
                UPDATE alerts SET status = 'acknowledged', acknowledged_at = \(now), acknowledged_by = \(actor),
                                  updated_at = \(now)
                WHERE id = \(locked.id) RETURNING *
                """)
            try TimelineRepository(connection).append(
                .alertAcknowledged(alert: locked.alert.ref, actor: actor, note: note),
                to: .alert(locked.id, serviceID: locked.serviceID), now: now)
            try EventRepository(connection).append(
                .alert(
                    .alertAcknowledged, updated.alert, serviceID: updated.serviceID, actor: actor,
                    extra: ["note": note.map(JSONValue.string) ?? .null]),
                now: now)
            try IncidentRepository(connection).alertAcknowledged(updated, actor: actor, note: note, now: now)
            return AlertTransitionResult(record: updated, changed: true)
        }
    }

    private func resolve(_ locked: AlertRecord, actor: String, resolution: String?, now: Date) throws
        -> AlertTransitionResult
    {
        switch AlertTransition.resolve(from: locked.status) {
        case .noOp:
            return AlertTransitionResult(record: locked, changed: false)
        case .conflict(let reason):
            throw DomainError.conflict("\(locked.alert.ref): \(reason)")
        case .apply:
            let updated = try update(
                """
                UPDATE alerts SET status = 'resolved', resolved_at = \(now), resolved_by = \(actor),
                                  resolution = \(resolution), updated_at = \(now)
                WHERE id = \(locked.id) RETURNING *
                """)
            try TimelineRepository(connection).append(
                .alertResolved(alert: locked.alert.ref, actor: actor, resolution: resolution),
                to: .alert(locked.id, serviceID: locked.serviceID), now: now)
            try EventRepository(connection).append(
                .alert(
                    .alertResolved, updated.alert, serviceID: updated.serviceID, actor: actor,
                    extra: ["resolution": resolution.map(JSONValue.string) ?? .null]),
                now: now)
            try IncidentRepository(connection).alertResolved(
                updated, actor: actor, resolution: resolution, now: now)
            return AlertTransitionResult(record: updated, changed: true)
        }
    }

    /// Runs an `UPDATE ... RETURNING *` of one alert and reads it back with its service name.
    private func update(_ statement: PostgresQuery) throws -> AlertRecord {
        let query: PostgresQuery = """
            WITH a AS (\(statement))
            SELECT \(sql: AlertRecord.columns) FROM a JOIN services s ON s.id = a.service_id
            """
        guard let row = try connection.query(query).first else {
            // The row was locked FOR UPDATE by this transaction just before, so it exists.
            throw PostgresError(.protocolViolation, message: "the locked alert vanished during its update")
        }
        return try AlertRecord(row: row)
    }

    /// Alert `id`, locked until the transaction ends (`SELECT ... FOR UPDATE`).
    private func lock(id: Int64) throws -> AlertRecord? {
        try connection.query(
            """
            SELECT \(sql: AlertRecord.columns) FROM alerts a JOIN services s ON s.id = a.service_id
            WHERE a.id = \(id) FOR UPDATE OF a
            """
        ).first.map(AlertRecord.init(row:))
    }

    /// Locks the incident of the open alert with this dedup key, if any, before the alert
    /// (``IncidentRepository/lockIncident(ofAlert:)`` says why).
    private func lockIncidentOfOpen(serviceID: Int64, dedupKey: String) throws {
        try IncidentRepository(connection).lockIncident(
            ofAlert: """
                SELECT incident_id FROM alerts
                WHERE service_id = \(serviceID) AND dedup_key = \(dedupKey) AND status <> 'resolved'
                """)
    }

    /// The open alert with this dedup key, locked. READ COMMITTED re-checks the status after
    /// waiting for a concurrent resolve, so a just-resolved alert is not returned.
    private func lockOpen(serviceID: Int64, dedupKey: String) throws -> AlertRecord? {
        try connection.query(
            """
            SELECT \(sql: AlertRecord.columns) FROM alerts a JOIN services s ON s.id = a.service_id
            WHERE a.service_id = \(serviceID) AND a.dedup_key = \(dedupKey) AND a.status <> 'resolved'
            FOR UPDATE OF a
            """
        ).first.map(AlertRecord.init(row:))
    }
}
