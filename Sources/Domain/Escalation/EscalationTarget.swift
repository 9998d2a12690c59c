/// Who or what one step of an escalation policy pages (SPEC §11): a person (on every contact
/// method), a schedule (whoever is on call when the step fires) or a channel.
public struct EscalationTarget: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case user, schedule, channel
    }

    public let kind: Kind
    public let id: Int64

    public init(_ kind: Kind, id: Int64) {
        self.kind = kind
        self.id = id
    }

    // The stored plan and the API both say `type`, as SPEC §11 does.
    enum CodingKeys: String, CodingKey {
        case kind = "type"
        case id
    }
}
