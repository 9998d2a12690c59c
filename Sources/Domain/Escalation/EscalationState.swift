import Foundation

/// Where an incident's escalation stands (SPEC §11).
public enum EscalationState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Paging: the next step fires at `next_step_at`.
    case active
    /// Stopped by an acknowledgement of the incident or one of its alerts.
    case acknowledged
    /// Stopped by a resolution of the incident or one of its alerts.
    case resolved
    /// Every step of every loop fired and the last step's delay passed unacknowledged.
    case exhausted
}

/// The summary an incident's JSON carries (`escalation: {state, step, next_step_at}`).
public struct EscalationSummary: Sendable, Hashable {
    public let state: EscalationState
    /// The last step fired (0 for a few milliseconds after the start, before step 1 fires).
    public let step: Int
    public let loop: Int
    /// When the next step fires; nil once the escalation stopped or was exhausted.
    public let nextStepAt: Date?

    public init(state: EscalationState, step: Int, loop: Int, nextStepAt: Date?) {
        self.state = state
        self.step = step
        self.loop = loop
        self.nextStepAt = nextStepAt
    }
}
