import Domain
import Foundation
import Postgres

/// SQL for `escalation_policies`, their steps and targets (SPEC §11), and which services use
/// them. Runs inside the caller's transaction (ADR 0002).
public struct EscalationPolicyRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Stores a policy; a taken name is a conflict, an unknown target a ``ValidationError``
    /// naming `steps[i].targets[j].id`.
    public func create(_ policy: NewEscalationPolicy, now: Date) throws -> EscalationPolicyRecord {
        try checkTargetsExist(policy.plan.steps)
        let rows = try mappingConflicts {
            try connection.query(
                """
                INSERT INTO escalation_policies (name, repeat, created_at, updated_at)
                VALUES (\(policy.name), \(policy.plan.repeat), \(now), \(now))
                RETURNING id
                """)
        }
        let id: Int64 = try rows[0].decode("id")
        try insertSteps(policy.plan.steps, policyID: id)
        return try find(id: id)!  // Inserted just above in this transaction.
    }

    /// The policy with this id.
    public func find(id: Int64) throws -> EscalationPolicyRecord? {
        try records(
            try connection.query("SELECT \(sql: Self.columns) FROM escalation_policies p WHERE p.id = \(id)")
        )
        .first
    }

    /// The policy a path or body names: its id, or its exact name.
    public func find(reference: String) throws -> EscalationPolicyRecord? {
        if let id = Int64(reference), let found = try find(id: id) { return found }
        return try records(
            try connection.query(
                "SELECT \(sql: Self.columns) FROM escalation_policies p WHERE p.name = \(reference)")
        ).first
    }

    /// Policies in id order, `limit` per page.
    public func list(limit: Int, cursor: String?) throws -> RepositoryPage<EscalationPolicyRecord> {
        var query: PostgresQuery = "SELECT \(sql: Self.columns) FROM escalation_policies p"
        if let cursor { query.append(" WHERE p.id > \(try EscalationPolicyCursor.decode(cursor))") }
        query.append(" ORDER BY p.id LIMIT \(limit + 1)")
        let all = try records(try connection.query(query))
        let page = Array(all.prefix(limit))
        let next = all.count > limit ? page.last.map { EscalationPolicyCursor.encode(id: $0.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }

    /// Every policy in id order (for `GET /oncall` and PagerDuty's `GET /oncalls`).
    public func all() throws -> [EscalationPolicyRecord] {
        try records(
            try connection.query("SELECT \(sql: Self.columns) FROM escalation_policies p ORDER BY p.id"))
    }

    /// Applies a patch; `steps` replaces every step. Running escalations keep the plan they
    /// started with. Nil when there is no such policy.
    public func update(id: Int64, patch: EscalationPolicyPatch, now: Date) throws -> EscalationPolicyRecord? {
        guard
            try connection.query("SELECT id FROM escalation_policies WHERE id = \(id) FOR UPDATE").first
                != nil
        else { return nil }
        if let steps = patch.steps {
            try checkTargetsExist(steps)
            try connection.execute("DELETE FROM escalation_policy_steps WHERE policy_id = \(id)")
            try insertSteps(steps, policyID: id)
        }
        try mappingConflicts {
            try connection.execute(
                """
                UPDATE escalation_policies SET name = COALESCE(\(patch.name), name),
                    repeat = COALESCE(\(patch.repeat), repeat), updated_at = \(now)
                WHERE id = \(id)
                """)
        }
        return try find(id: id)
    }

    /// Deletes a policy; a conflict naming the services while any still uses it. Running
    /// escalations keep their plan. False when there is no such policy.
    public func delete(id: Int64) throws -> Bool {
        guard
            try connection.query("SELECT id FROM escalation_policies WHERE id = \(id) FOR UPDATE").first
                != nil
        else { return false }
        let services = try connection.query(
            "SELECT name FROM services WHERE escalation_policy_id = \(id) ORDER BY name"
        ).map { try $0.decode("name", as: String.self) }
        guard services.isEmpty else {
            throw DomainError.conflict(
                "Escalation policy \(id) is assigned to the service(s) \(services.joined(separator: ", ")); "
                    + "assign them another policy (or null) first.")
        }
        do {
            return try connection.execute("DELETE FROM escalation_policies WHERE id = \(id)") == 1
        } catch let error as PostgresError
            where error.isForeignKeyViolation(constraint: "services_escalation_policy_fk")
        {
            // A service was given the policy after the check above.
            throw DomainError.conflict("Escalation policy \(id) was just assigned to a service; try again.")
        }
    }

    /// Names of the policies with a step that targets `target`, sorted: people, schedules and
    /// channels named by a policy cannot be deleted (409).
    public func policiesNaming(_ target: EscalationTarget) throws -> [String] {
        let column: StaticString =
            switch target.kind {
            case .user: "user_id"
            case .schedule: "schedule_id"
            case .channel: "channel_id"
            }
        return try connection.query(
            """
            SELECT DISTINCT p.name FROM escalation_policies p JOIN escalation_policy_targets t ON t.policy_id = p.id
            WHERE t.\(sql: column) = \(target.id) ORDER BY p.name
            """
        ).map { try $0.decode("name", as: String.self) }
    }

    /// Throws a conflict when a policy targets `target` (`what` names it in the message).
    public func refuseDeletingTarget(_ target: EscalationTarget, what: String) throws {
        let names = try policiesNaming(target)
        guard names.isEmpty else {
            throw DomainError.conflict(
                "\(what) is a target of the escalation policy(ies) \(names.joined(separator: ", ")); "
                    + "take it out of their steps first.")
        }
    }

    static let columns: StaticString = """
        p.id, p.name, p.repeat, p.created_at, p.updated_at,
        ARRAY(SELECT s.name FROM services s WHERE s.escalation_policy_id = p.id ORDER BY s.name) AS services
        """

    /// Records for `rows` selected with ``columns``, their steps read in one query.
    private func records(_ rows: PostgresRows) throws -> [EscalationPolicyRecord] {
        guard !rows.isEmpty else { return [] }
        let ids: [Int64] = try rows.map { try $0.decode("id") }
        let plans = try steps(policyIDs: ids)
        return try rows.map { row in
            let id: Int64 = try row.decode("id")
            return EscalationPolicyRecord(
                id: id, name: try row.decode("name"),
                plan: EscalationPlan(
                    steps: plans[id] ?? [], repeat: Int(try row.decode("repeat", as: Int32.self))),
                services: try row.decode("services"), createdAt: try row.decode("created_at"),
                updatedAt: try row.decode("updated_at"))
        }
    }

    /// The steps of each policy in `policyIDs`, in order, with their targets in order.
    func steps(policyIDs: [Int64]) throws -> [Int64: [EscalationPlan.Step]] {
        let rows = try connection.query(
            """
            SELECT s.policy_id, s.step, s.delay_seconds,
                   ARRAY(SELECT CASE WHEN t.user_id IS NOT NULL THEN 'user'
                                     WHEN t.schedule_id IS NOT NULL THEN 'schedule' ELSE 'channel' END
                         FROM escalation_policy_targets t
                         WHERE t.policy_id = s.policy_id AND t.step = s.step ORDER BY t.position) AS kinds,
                   ARRAY(SELECT COALESCE(t.user_id, t.schedule_id, t.channel_id)
                         FROM escalation_policy_targets t
                         WHERE t.policy_id = s.policy_id AND t.step = s.step ORDER BY t.position) AS ids
            FROM escalation_policy_steps s WHERE s.policy_id = ANY(\(policyIDs))
            ORDER BY s.policy_id, s.step
            """)
        var steps: [Int64: [EscalationPlan.Step]] = [:]
        for row in rows {
            let kinds: [String] = try row.decode("kinds")
            let ids: [Int64] = try row.decode("ids")
            let targets = zip(kinds, ids).compactMap { kind, id in
                EscalationTarget.Kind(rawValue: kind).map { EscalationTarget($0, id: id) }
            }
            let delay = Int(try row.decode("delay_seconds", as: Int32.self))
            steps[try row.decode("policy_id"), default: []].append(
                EscalationPlan.Step(delaySeconds: delay, targets: targets))
        }
        return steps
    }

    /// Inserts `steps` (numbered from 1) and their targets.
    private func insertSteps(_ steps: [EscalationPlan.Step], policyID: Int64) throws {
        var stepNumbers: [Int32] = [], delays: [Int32] = []
        var targetSteps: [Int32] = [], positions: [Int32] = []
        var users: [Int64] = [], schedules: [Int64] = [], channels: [Int64] = []
        for (index, step) in steps.enumerated() {
            stepNumbers.append(Int32(index + 1))
            delays.append(Int32(step.delaySeconds))
            for (position, target) in step.targets.enumerated() {
                targetSteps.append(Int32(index + 1))
                positions.append(Int32(position))
                // 0 stands for none: arrays of binds hold no NULLs (ids start at 1).
                users.append(target.kind == .user ? target.id : 0)
                schedules.append(target.kind == .schedule ? target.id : 0)
                channels.append(target.kind == .channel ? target.id : 0)
            }
        }
        try connection.execute(
            """
            INSERT INTO escalation_policy_steps (policy_id, step, delay_seconds)
            SELECT \(policyID), s.step, s.delay FROM unnest(\(stepNumbers)::int4[], \(delays)::int4[]) AS s(step, delay)
            """)
        do {
            try connection.execute(
                """
                INSERT INTO escalation_policy_targets (policy_id, step, position, user_id, schedule_id, channel_id)
                SELECT \(policyID), t.step, t.position, NULLIF(t.user_id, 0), NULLIF(t.schedule_id, 0),
                       NULLIF(t.channel_id, 0)
                FROM unnest(\(targetSteps)::int4[], \(positions)::int4[], \(users)::int8[], \(schedules)::int8[],
                            \(channels)::int8[]) AS t(step, position, user_id, schedule_id, channel_id)
                """)
        } catch let error as PostgresError where error.isForeignKeyViolation() {
            // Checked just before; deleted by a concurrent request since.
            throw ValidationError(field: "steps", message: "names a target that was just deleted")
        }
    }

    /// A ``ValidationError`` naming `steps[i].targets[j].id` for each target that does not exist.
    private func checkTargetsExist(_ steps: [EscalationPlan.Step]) throws {
        let targets = steps.flatMap(\.targets)
        func ids(_ kind: EscalationTarget.Kind) -> [Int64] { targets.filter { $0.kind == kind }.map(\.id) }
        let rows = try connection.query(
            """
            SELECT 'user' AS kind, id FROM users WHERE id = ANY(\(ids(.user)))
            UNION ALL SELECT 'schedule', id FROM schedules WHERE id = ANY(\(ids(.schedule)))
            UNION ALL SELECT 'channel', id FROM channels WHERE id = ANY(\(ids(.channel)))
            """)
        var found: Set<EscalationTarget> = []
        for row in rows {
            if let kind = EscalationTarget.Kind(rawValue: try row.decode("kind")) {
                found.insert(EscalationTarget(kind, id: try row.decode("id")))
            }
        }
        var issues: [FieldIssue] = []
        for (stepIndex, step) in steps.enumerated() {
            for (index, target) in step.targets.enumerated() where !found.contains(target) {
                issues.append(
                    FieldIssue(
                        field: "steps[\(stepIndex)].targets[\(index)].id",
                        message: "no \(target.kind.rawValue) \(target.id) exists"))
            }
        }
        guard issues.isEmpty else { throw ValidationError(issues) }
    }

    /// Runs `body`, turning a taken policy name into a conflict.
    @discardableResult
    private func mappingConflicts<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as PostgresError
            where error.isUniqueViolation(constraint: "escalation_policies_name_unique")
        {
            throw DomainError.conflict("An escalation policy with this name already exists.")
        }
    }
}
