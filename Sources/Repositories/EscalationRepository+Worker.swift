import Domain
import Foundation
import Postgres

/// What one worker pass did (for logs, metrics and tests).
public struct EscalationPass: Sendable {
    /// A step fired: who it reached.
    public struct Fired: Sendable {
        public let incident: EntityRef
        public let position: EscalationPosition
        public let dueAt: Date
        /// Page deliveries written (people × contact methods, plus channels).
        public let pages: Int
        public let reachedNobody: Bool
    }

    /// Escalations claimed (due, active, not held by another process).
    public internal(set) var claimed = 0
    public internal(set) var fired: [Fired] = []
    /// Escalations that became `exhausted`.
    public internal(set) var exhausted: [EntityRef] = []
    /// Escalations found active on an incident that was already acknowledged or resolved, stopped.
    public internal(set) var stopped: [EntityRef] = []
}

extension EscalationRepository {
    /// Escalations one pass claims in one transaction.
    public static let defaultBatch = 200

    /// A claimed escalation: locked by this transaction until it commits.
    struct Claimed {
        let incidentID: Int64
        let policyID: Int64?
        let policyName: String
        let plan: EscalationPlan
        let position: EscalationPosition
        let dueAt: Date
    }

    /// One pass of an escalation worker, in the caller's transaction (run it in one of its own):
    /// claims up to `limit` active escalations due at `now` (`FOR UPDATE SKIP LOCKED`: several
    /// processes take disjoint rows, and a row an acknowledgement stopped meanwhile fails the
    /// `state` re-check PostgreSQL applies after the lock) and for each, in this transaction:
    ///
    /// - fires the next step: resolves its targets now, appends its `incident.escalated` event
    ///   (which the usual fan-out also sends to matching channels), an `escalated` timeline entry
    ///   naming who was paged, and one page delivery per person × contact method plus one per
    ///   channel target; the next step is due the step's delay later, or at once when the step
    ///   reached nobody ("no one on call");
    /// - or, after the last step of the last loop, marks it `exhausted` (entry and event);
    /// - or, for an incident acknowledged or resolved by a path that did not stop it, stops it.
    ///
    /// The unique index `deliveries_page_once` makes a second page of one (incident, step, loop,
    /// user, contact method) fail the transaction instead of being sent.
    public func fireDue(now: Date, limit: Int = defaultBatch) throws -> EscalationPass {
        var pass = EscalationPass()
        let claimed = try claimDue(now: now, limit: limit)
        pass.claimed = claimed.count
        guard !claimed.isEmpty else { return pass }
        let incidents = try incidents(claimed.map(\.incidentID))
        var firing: [(claimed: Claimed, position: EscalationPosition, incident: Incident)] = []
        var exhausting: [(claimed: Claimed, incident: Incident)] = []
        for escalation in claimed {
            guard let incident = incidents[escalation.incidentID] else { continue }
            if incident.status == .resolved || incident.acknowledgedAt != nil {
                let resolved = incident.status == .resolved
                try stop(
                    incidentID: incident.id, as: resolved ? .resolved : .acknowledged,
                    actor: (resolved ? incident.resolvedBy : incident.acknowledgedBy)
                        ?? TimelineEntry.systemActor,
                    reason: "\(incident.ref) \(resolved ? "resolved" : "acknowledged")", now: now)
                pass.stopped.append(incident.ref)
                continue
            }
            switch escalation.plan.next(after: escalation.position) {
            case .fire(let position): firing.append((escalation, position, incident))
            case .exhaust: exhausting.append((escalation, incident))
            }
        }
        let resolver = try EscalationTargetResolver(
            targets: firing.flatMap { $0.claimed.plan.step($0.position.step).targets }, at: now,
            connection: connection)
        var steps: [FiredStep] = []
        for item in firing {
            let reached = resolver.resolve(item.claimed.plan.step(item.position.step))
            steps.append(
                FiredStep(
                    claimed: item.claimed, position: item.position, incident: item.incident,
                    people: reached.people, channels: reached.channels))
        }
        try write(steps, exhausting: exhausting, now: now)
        pass.fired = steps.map {
            EscalationPass.Fired(
                incident: $0.incident.ref, position: $0.position, dueAt: $0.claimed.dueAt,
                pages: $0.people.reduce(0) { $0 + $1.methods.count } + $0.channels.count,
                reachedNobody: $0.report.reachedNobody)
        }
        pass.exhausted = exhausting.map(\.incident.ref)
        return pass
    }

    /// Claims due active escalations, earliest first. Each distinct plan is decoded once: most
    /// escalations of a pass follow the same few policies.
    private func claimDue(now: Date, limit: Int) throws -> [Claimed] {
        var plans: [String: EscalationPlan] = [:]
        return try connection.query(
            """
            SELECT e.incident_id, e.policy_id, e.policy_name, e.plan, e.step, e.loop, e.next_step_at
            FROM incident_escalations e
            WHERE e.state = 'active' AND e.next_step_at <= \(now)
            ORDER BY e.next_step_at LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
            """
        ).map { row in
            let text = try row.decode("plan", as: PostgresJSON.self)
            let plan = try plans[text.text] ?? text.decode(as: EscalationPlan.self)
            plans[text.text] = plan
            return Claimed(
                incidentID: try row.decode("incident_id"), policyID: try row.decode("policy_id"),
                policyName: try row.decode("policy_name"), plan: plan,
                position: EscalationPosition(step: try row.decode("step"), loop: try row.decode("loop")),
                dueAt: try row.decode("next_step_at"))
        }
    }

    /// The incidents with these ids, by id (not locked: see the type's note on locks).
    private func incidents(_ ids: [Int64]) throws -> [Int64: Incident] {
        let rows = try connection.query(
            "SELECT \(sql: IncidentRepository.columns) FROM incidents i WHERE i.id = ANY(\(ids))")
        return Dictionary(uniqueKeysWithValues: try rows.map(IncidentRepository.incident).map { ($0.id, $0) })
    }
}

/// A step about to be written: the escalation, the step, and whom it reached.
struct FiredStep {
    let claimed: EscalationRepository.Claimed
    let position: EscalationPosition
    let incident: Incident
    let people: [EscalationTargetResolver.Person]
    let channels: [EscalationTargetResolver.Channel]
    /// How the step reads (computed once: the event, the entry and the pass all use it).
    let report: EscalationStepReport

    init(
        claimed: EscalationRepository.Claimed, position: EscalationPosition, incident: Incident,
        people: [EscalationTargetResolver.Person], channels: [EscalationTargetResolver.Channel]
    ) {
        self.claimed = claimed
        self.position = position
        self.incident = incident
        self.people = people
        self.channels = channels
        report = EscalationStepReport(
            policyID: claimed.policyID, policyName: claimed.policyName, position: position,
            dueAt: claimed.dueAt,
            people: people.map {
                EscalationStepReport.PagedPerson(
                    userID: $0.id, name: $0.name, contactMethodKinds: $0.methods.map(\.kind))
            },
            channels: channels.map { EscalationStepReport.PagedChannel(id: $0.id, name: $0.name) })
    }
}
