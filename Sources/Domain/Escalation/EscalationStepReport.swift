import Foundation

/// What one fired step reached, and how the timeline and the event log say so (SPEC §11:
/// "every step writes an `escalated` timeline entry naming who was paged, and an
/// `incident.escalated` event"; SPEC §14: its `data` names `step`, `loop` and the paged users).
public struct EscalationStepReport: Sendable, Hashable {
    /// A person paged, with the kinds of the contact methods the page went to.
    public struct PagedPerson: Sendable, Hashable {
        public let userID: Int64
        public let name: String
        public let contactMethodKinds: [String]

        public init(userID: Int64, name: String, contactMethodKinds: [String]) {
            self.userID = userID
            self.name = name
            self.contactMethodKinds = contactMethodKinds
        }
    }

    /// A channel paged.
    public struct PagedChannel: Sendable, Hashable {
        public let id: Int64
        public let name: String

        public init(id: Int64, name: String) {
            self.id = id
            self.name = name
        }
    }

    public let policyID: Int64?
    public let policyName: String
    public let position: EscalationPosition
    /// When the step was due (the worker fires it at most a poll interval later).
    public let dueAt: Date
    public let people: [PagedPerson]
    public let channels: [PagedChannel]

    public init(
        policyID: Int64?, policyName: String, position: EscalationPosition, dueAt: Date,
        people: [PagedPerson],
        channels: [PagedChannel]
    ) {
        self.policyID = policyID
        self.policyName = policyName
        self.position = position
        self.dueAt = dueAt
        self.people = people
        self.channels = channels
    }

    /// RFC 3339 with milliseconds: lateness (page written − due) is measured from it.
    static let milliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `data.reason` of escalation-policy events and entries (the SLA job's is `sla_breach`).
    public static let reason = "escalation_policy"

    /// True when the step reached nobody: it moves on at once.
    public var reachedNobody: Bool { people.isEmpty && channels.isEmpty }

    /// The `escalated` entry: "Step 2 of Platform (loop 1): paged Ana (email, webhook); channel
    /// ops", or "... no one on call, moving on".
    public var timelineEntry: NewTimelineEntry {
        NewTimelineEntry(kind: .escalated, body: timelineBody, data: data)
    }

    /// The entry's body.
    public var timelineBody: String {
        var body = "Step \(position.step) of \(policyName) (loop \(position.loop)): "
        if reachedNobody {
            body += "no one on call, moving on"
        } else {
            var parts: [String] = []
            if !people.isEmpty {
                parts.append(
                    "paged "
                        + people.map { "\($0.name) (\($0.contactMethodKinds.joined(separator: ", ")))" }
                        .joined(separator: ", "))
            }
            if !channels.isEmpty {
                parts.append(
                    (channels.count == 1 ? "channel " : "channels ")
                        + channels.map(\.name).joined(separator: ", "))
            }
            body += parts.joined(separator: "; ")
        }
        return body
    }

    /// The facts both the entry and the event carry.
    public var data: [String: JSONValue] {
        [
            "reason": .string(Self.reason),
            "policy": .object([
                "id": policyID.map(JSONValue.integer) ?? .null, "name": .string(policyName),
            ]),
            "step": .integer(Int64(position.step)), "loop": .integer(Int64(position.loop)),
            "due_at": .string(dueAt.formatted(Self.milliseconds)),
            "paged": .array(
                people.map {
                    .object([
                        "id": .integer($0.userID), "name": .string($0.name),
                        "contact_methods": .array($0.contactMethodKinds.map(JSONValue.string)),
                    ])
                }),
            "channels": .array(channels.map { .object(["id": .integer($0.id), "name": .string($0.name)]) }),
            "no_one_on_call": .bool(reachedNobody),
        ]
    }

    /// The entry written when the last step's delay passed unacknowledged.
    public static func exhaustedEntry(policyName: String, plan: EscalationPlan) -> NewTimelineEntry {
        let loops = plan.loops == 1 ? "1 pass" : "\(plan.loops) passes"
        let steps = plan.steps.count == 1 ? "1 step" : "\(plan.steps.count) steps"
        return NewTimelineEntry(
            kind: .escalated,
            body: "\(policyName) exhausted: nobody acknowledged after \(loops) of \(steps)",
            data: exhaustedData(policyName: policyName, plan: plan))
    }

    /// `data` of the exhaustion's entry and event.
    public static func exhaustedData(policyName: String, plan: EscalationPlan) -> [String: JSONValue] {
        [
            "reason": .string(reason), "state": .string(EscalationState.exhausted.rawValue),
            "policy": .object(["name": .string(policyName)]),
            "steps": .integer(Int64(plan.steps.count)), "loops": .integer(Int64(plan.loops)),
        ]
    }
}
