/// An escalation policy as the client sent it, before validation (`POST|PATCH
/// /escalation-policies`).
public struct EscalationPolicyInput: Sendable, Hashable {
    public var name: String?
    public var steps: [StepInput]?
    public var `repeat`: Int?

    /// One step as sent: `{delay_seconds, targets: [{type, id}]}`.
    public struct StepInput: Sendable, Hashable {
        public var delaySeconds: Int?
        public var targets: [TargetInput]?

        public init(delaySeconds: Int?, targets: [TargetInput]?) {
            self.delaySeconds = delaySeconds
            self.targets = targets
        }
    }

    /// One target as sent: `{type: "user"|"schedule"|"channel", id}`.
    public struct TargetInput: Sendable, Hashable {
        public var type: String?
        public var id: Int64?

        public init(type: String?, id: Int64?) {
            self.type = type
            self.id = id
        }
    }

    public init(name: String?, steps: [StepInput]?, repeat: Int?) {
        self.name = name
        self.steps = steps
        self.repeat = `repeat`
    }
}

/// A validated policy: its name and plan. Whether the targets exist is the repository's check
/// (a ``ValidationError`` naming `steps[i].targets[j].id`).
public struct NewEscalationPolicy: Sendable, Hashable {
    public let name: String
    public let plan: EscalationPlan

    /// Longest policy name (CHECK `escalation_policies_name_length`).
    public static let maxNameLength = 100

    /// Checks a `POST` body: `name` and `steps` required, `repeat` 0–9 (default 0). Every bad
    /// field at once.
    public static func validate(_ input: EscalationPolicyInput) throws(ValidationError) -> NewEscalationPolicy
    {
        var check = Validator()
        let name = check.required("name", input.name, maxLength: maxNameLength)
        let steps = checkSteps(input.steps, into: &check)
        let repeatCount = checkRepeat(input.repeat, into: &check) ?? 0
        guard check.isValid, let name, let steps else { throw check.error }
        return NewEscalationPolicy(name: name, plan: EscalationPlan(steps: steps, repeat: repeatCount))
    }

    /// `steps`: at least one, at most ``EscalationPlan/maxSteps``; nil (with issues) when bad.
    static func checkSteps(_ input: [EscalationPolicyInput.StepInput]?, into check: inout Validator)
        -> [EscalationPlan.Step]?
    {
        guard let input else {
            check.add("steps", "is required: at least one step")
            return nil
        }
        guard !input.isEmpty else {
            check.add("steps", "must have at least one step")
            return nil
        }
        guard input.count <= EscalationPlan.maxSteps else {
            check.add("steps", "must have at most \(EscalationPlan.maxSteps) steps")
            return nil
        }
        var steps: [EscalationPlan.Step] = []
        for (index, step) in input.enumerated() {
            let field = "steps[\(index)]"
            let delay = checkDelay(step.delaySeconds, field: "\(field).delay_seconds", into: &check)
            let targets = checkTargets(step.targets, field: "\(field).targets", into: &check)
            if let delay, let targets {
                steps.append(EscalationPlan.Step(delaySeconds: delay, targets: targets))
            }
        }
        return steps.count == input.count ? steps : nil
    }

    private static func checkDelay(_ value: Int?, field: String, into check: inout Validator) -> Int? {
        guard let value else {
            check.add(field, "is required (seconds to wait for an acknowledgement)")
            return nil
        }
        guard (0...EscalationPlan.maxDelaySeconds).contains(value) else {
            check.add(field, "must be from 0 to \(EscalationPlan.maxDelaySeconds) seconds")
            return nil
        }
        return value
    }

    private static func checkTargets(
        _ input: [EscalationPolicyInput.TargetInput]?, field: String, into check: inout Validator
    ) -> [EscalationTarget]? {
        guard let input, !input.isEmpty else {
            check.add(field, "must name at least one user, schedule or channel")
            return nil
        }
        guard input.count <= EscalationPlan.maxTargetsPerStep else {
            check.add(field, "must have at most \(EscalationPlan.maxTargetsPerStep) targets")
            return nil
        }
        var targets: [EscalationTarget] = []
        for (index, target) in input.enumerated() {
            let prefix = "\(field)[\(index)]"
            let kind = check.oneOf(
                "\(prefix).type", target.type, allowed: EscalationTarget.Kind.allCases.map(\.rawValue)
            ) { EscalationTarget.Kind(rawValue: $0.lowercased()) }
            var id: Int64?
            if let given = target.id {
                if given > 0 { id = given } else { check.add("\(prefix).id", "must be a positive id") }
            } else {
                check.add("\(prefix).id", "is required")
            }
            guard let kind, let id else { continue }
            let parsed = EscalationTarget(kind, id: id)
            if targets.contains(parsed) {
                check.add(prefix, "names \(kind.rawValue) \(id) twice in one step")
                continue
            }
            targets.append(parsed)
        }
        return targets.count == input.count ? targets : nil
    }

    static func checkRepeat(_ value: Int?, into check: inout Validator) -> Int? {
        guard let value else { return nil }
        guard (0...EscalationPlan.maxRepeat).contains(value) else {
            check.add("repeat", "must be from 0 to \(EscalationPlan.maxRepeat)")
            return nil
        }
        return value
    }
}

/// A validated `PATCH`: only the fields sent change; `steps` replaces all steps.
public struct EscalationPolicyPatch: Sendable, Hashable {
    public let name: String?
    public let steps: [EscalationPlan.Step]?
    public let `repeat`: Int?

    public var isEmpty: Bool { name == nil && steps == nil && self.repeat == nil }

    public static func validate(_ input: EscalationPolicyInput) throws(ValidationError)
        -> EscalationPolicyPatch
    {
        var check = Validator()
        var name: String?
        if input.name != nil {
            name = check.required("name", input.name, maxLength: NewEscalationPolicy.maxNameLength)
        }
        let steps = input.steps == nil ? nil : NewEscalationPolicy.checkSteps(input.steps, into: &check)
        let repeatCount = NewEscalationPolicy.checkRepeat(input.repeat, into: &check)
        try check.finish()
        return EscalationPolicyPatch(name: name, steps: steps, repeat: repeatCount)
    }
}
