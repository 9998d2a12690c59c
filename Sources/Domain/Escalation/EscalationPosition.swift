/// Where an escalation stands: step `step` of pass `loop`, both counting from 1 (SPEC §14).
/// Step 0 means no step has fired yet.
public struct EscalationPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let step: Int
    public let loop: Int

    public init(step: Int, loop: Int) {
        self.step = step
        self.loop = loop
    }

    /// Before the first step: step 1 of loop 1 is next.
    public static let start = EscalationPosition(step: 0, loop: 1)

    public static func < (lhs: EscalationPosition, rhs: EscalationPosition) -> Bool {
        (lhs.loop, lhs.step) < (rhs.loop, rhs.step)
    }

    public var description: String { "step \(step), loop \(loop)" }
}
