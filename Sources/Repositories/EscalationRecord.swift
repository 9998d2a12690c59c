import Domain
import Foundation
import Postgres

/// An incident's escalation as stored (SPEC §11): the plan it follows, where it stands, and
/// who stopped it.
public struct EscalationRecord: Sendable, Hashable {
    public let incidentID: Int64
    /// Nil once the policy was deleted (the escalation keeps its plan).
    public let policyID: Int64?
    public let policyName: String
    public let plan: EscalationPlan
    public let state: EscalationState
    /// The last step fired (step 0: none yet).
    public let position: EscalationPosition
    public let nextStepAt: Date?
    public let startedAt: Date
    public let stoppedAt: Date?
    public let stoppedBy: String?
    public let stopReason: String?
    public let updatedAt: Date

    /// Columns every escalation query selects; `e` is `incident_escalations`.
    static let columns: StaticString = """
        e.incident_id, e.policy_id, e.policy_name, e.plan, e.state, e.step, e.loop, e.next_step_at, e.started_at,
        e.stopped_at, e.stopped_by, e.stop_reason, e.updated_at
        """

    /// Decodes a row selected with ``columns``.
    init(row: PostgresRow) throws {
        let stateText: String = try row.decode("state")
        guard let state = EscalationState(rawValue: stateText) else {
            throw PostgresError(.decoding, message: "unknown escalation state \(stateText)", column: "state")
        }
        incidentID = try row.decode("incident_id")
        policyID = try row.decode("policy_id")
        policyName = try row.decode("policy_name")
        plan = try row.decode("plan", as: PostgresJSON.self).decode(as: EscalationPlan.self)
        self.state = state
        position = EscalationPosition(step: try row.decode("step"), loop: try row.decode("loop"))
        nextStepAt = try row.decode("next_step_at")
        startedAt = try row.decode("started_at")
        stoppedAt = try row.decode("stopped_at")
        stoppedBy = try row.decode("stopped_by")
        stopReason = try row.decode("stop_reason")
        updatedAt = try row.decode("updated_at")
    }
}
