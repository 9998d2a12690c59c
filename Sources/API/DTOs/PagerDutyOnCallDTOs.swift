import Foundation

/// PagerDuty REST `GET /oncalls` answer (SPEC §10): `{oncalls, limit, offset, more, total}`.
struct PagerDutyOnCallPage: Encodable {
    let oncalls: [PagerDutyOnCall]
    let limit: Int
    let offset: Int
    let more: Bool
    let total: Int
}

/// One on-call entry in PagerDuty's shape. Ids are strings, as PagerDuty's are.
struct PagerDutyOnCall: Encodable {
    let user: PagerDutyReference
    let schedule: PagerDutyReference?
    /// Null for a schedule no policy names.
    let escalationPolicy: PagerDutyReference?
    let escalationLevel: Int?
    /// Null when the shift began more than a year before (or ends more than a year after).
    let start: Date?
    let end: Date?

    enum CodingKeys: String, CodingKey {
        case user, schedule, start, end
        case escalationPolicy = "escalation_policy"
        case escalationLevel = "escalation_level"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user, forKey: .user)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(escalationPolicy, forKey: .escalationPolicy)
        try container.encode(escalationLevel, forKey: .escalationLevel)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
    }
}

/// `{id, type, summary}`: PagerDuty's reference to another object (`user_reference`, ...).
struct PagerDutyReference: Encodable {
    let id: String
    let type: String
    let summary: String
}
