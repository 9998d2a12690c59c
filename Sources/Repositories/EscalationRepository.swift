import Domain
import Foundation
import Postgres

/// SQL for `incident_escalations` (SPEC §11): starting an incident's escalation in the
/// transaction that opened or raised the incident, stopping it in the transaction of an
/// acknowledgement or resolution (every door calls these through the incident and alert
/// repositories), the worker's pass (`EscalationRepository+Worker.swift`) and what
/// `GET /incidents/{id}/escalation` shows (`EscalationRepository+Detail.swift`).
///
/// Locks: a stop runs after its caller locked the incident and then takes the escalation row;
/// the worker takes escalation rows only (`FOR UPDATE SKIP LOCKED`) and never waits for an
/// incident, so the two cannot deadlock (``IncidentRepository/lock(id:)`` says why the incident
/// lock lets the worker's timeline entries through).
public struct EscalationRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Starts incident `incidentID`'s escalation when `severity` pages (SEV1, SEV2) and one of
    /// its services has a policy (the first by service name): step 1 is due at `now`, and the
    /// insert's trigger wakes the workers at commit. An incident escalates once: nothing happens
    /// when it already has an escalation. Returns whether one started.
    @discardableResult
    public func start(incidentID: Int64, severity: IncidentSeverity, now: Date) throws -> Bool {
        guard severity.pages else { return false }
        // FOR SHARE: a concurrent PATCH of the policy (FOR UPDATE) waits, so the plan is read whole.
        guard
            let row = try connection.query(
                """
                SELECT p.id, p.name FROM incident_services x
                JOIN services s ON s.id = x.service_id
                JOIN escalation_policies p ON p.id = s.escalation_policy_id
                WHERE x.incident_id = \(incidentID)
                ORDER BY s.name LIMIT 1 FOR SHARE OF p
                """
            ).first
        else { return false }
        let policyID: Int64 = try row.decode("id")
        guard let policy = try EscalationPolicyRepository(connection).find(id: policyID) else { return false }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let plan = try PostgresJSON(encoding: policy.plan, encoder: encoder)
        let inserted = try connection.execute(
            """
            INSERT INTO incident_escalations (incident_id, policy_id, policy_name, plan, state, step, loop,
                                              next_step_at, started_at, updated_at)
            VALUES (\(incidentID), \(policy.id), \(policy.name), \(plan), 'active', 0, 1, \(now), \(now), \(now))
            ON CONFLICT (incident_id) DO NOTHING
            """)
        return inserted == 1
    }

    /// Why an escalation stops (SPEC §11).
    public enum Stop: Sendable {
        case acknowledged, resolved
    }

    /// Stops incident `incidentID`'s escalation because of an acknowledgement (`.acknowledged`:
    /// only an active one) or a resolution (`.resolved`: whatever it was), and cancels its
    /// pending pages, in the caller's transaction: once that commits, no worker claims the
    /// escalation again (its claim re-checks `state` under the row lock) and no sender claims a
    /// cancelled page. `reason` says what stopped it ("ALR-7 acknowledged"). Returns the pages
    /// cancelled; the caller's transaction must hold the incident's lock.
    @discardableResult
    public func stop(incidentID: Int64, as stop: Stop, actor: String, reason: String, now: Date)
        throws -> Int
    {
        switch stop {
        case .acknowledged:
            try connection.execute(
                """
                UPDATE incident_escalations SET state = 'acknowledged', next_step_at = NULL, stopped_at = \(now),
                    stopped_by = \(actor), stop_reason = \(reason), updated_at = \(now)
                WHERE incident_id = \(incidentID) AND state = 'active'
                """)
        case .resolved:
            try connection.execute(
                """
                UPDATE incident_escalations SET state = 'resolved', next_step_at = NULL,
                    stopped_at = COALESCE(stopped_at, \(now)), stopped_by = COALESCE(stopped_by, \(actor)),
                    stop_reason = COALESCE(stop_reason, \(reason)), updated_at = \(now)
                WHERE incident_id = \(incidentID) AND state <> 'resolved'
                """)
        }
        // A new statement: it sees pages a worker committed while this one waited for the row.
        return try connection.execute(
            """
            UPDATE deliveries SET state = 'cancelled', updated_at = \(now)
            WHERE page_incident_id = \(incidentID) AND state = 'pending'
            """)
    }

    /// Incident `incidentID`'s escalation; nil when it has none.
    public func find(incidentID: Int64) throws -> EscalationRecord? {
        try connection.query(
            "SELECT \(sql: EscalationRecord.columns) FROM incident_escalations e WHERE e.incident_id = \(incidentID)"
        ).first.map(EscalationRecord.init(row:))
    }

    /// The earliest due step of any active escalation: the workers sleep until then (at most
    /// their poll interval).
    public func nextDue() throws -> Date? {
        try connection.query(
            "SELECT min(next_step_at) AS due FROM incident_escalations WHERE state = 'active'"
        )[0].decode("due")
    }
}
