import Foundation

/// The steps of an escalation policy and how often they repeat (SPEC §11): what an incident's
/// escalation follows, stored with it as it was when the escalation started.
///
/// Pure rules for the worker: which step fires after a given one (``next(after:)``) and when
/// the one after that is due (``nextDue(afterFiring:pagedAnyone:at:)``).
public struct EscalationPlan: Sendable, Hashable, Codable {
    /// One rung of the ladder: its targets, and how long it waits for an acknowledgement.
    public struct Step: Sendable, Hashable, Codable {
        public let delaySeconds: Int
        public let targets: [EscalationTarget]

        public init(delaySeconds: Int, targets: [EscalationTarget]) {
            self.delaySeconds = delaySeconds
            self.targets = targets
        }

        enum CodingKeys: String, CodingKey {
            case delaySeconds = "delay_seconds"
            case targets
        }
    }

    /// What the worker does when an escalation's `next_step_at` comes.
    public enum Action: Sendable, Hashable {
        /// Page this step's targets.
        case fire(EscalationPosition)
        /// Every step of every loop fired and the last delay passed: `exhausted`.
        case exhaust
    }

    public let steps: [Step]
    /// How many more passes after the first (0–9).
    public let `repeat`: Int

    // Limits (422 beyond).
    public static let maxSteps = 20
    public static let maxTargetsPerStep = 20
    public static let maxRepeat = 9
    /// A week: a longer wait is not an escalation any more.
    public static let maxDelaySeconds = 7 * 86_400

    public init(steps: [Step], repeat: Int) {
        self.steps = steps
        self.repeat = `repeat`
    }

    /// Passes through the steps in all: the first and the repeats.
    public var loops: Int { self.repeat + 1 }

    /// Step `number` (from 1).
    public func step(_ number: Int) -> Step { steps[number - 1] }

    /// What comes after `position` (``EscalationPosition/start`` before anything fired): the
    /// next step of this loop, step 1 of the next loop, or exhaustion after the last loop.
    public func next(after position: EscalationPosition) -> Action {
        if position.step < steps.count {
            return .fire(EscalationPosition(step: position.step + 1, loop: position.loop))
        }
        if position.loop < loops {
            return .fire(EscalationPosition(step: 1, loop: position.loop + 1))
        }
        return .exhaust
    }

    /// When the action after firing `position` at `now` is due: the step's delay later, or at
    /// once when the step reached nobody (SPEC §11: "moves on at once").
    public func nextDue(afterFiring position: EscalationPosition, pagedAnyone: Bool, at now: Date) -> Date {
        guard pagedAnyone else { return now }
        return now.addingTimeInterval(TimeInterval(step(position.step).delaySeconds))
    }

    /// Every target the plan names, each once, in order of first mention.
    public var allTargets: [EscalationTarget] {
        var seen: Set<EscalationTarget> = []
        return steps.flatMap(\.targets).filter { seen.insert($0).inserted }
    }
}
