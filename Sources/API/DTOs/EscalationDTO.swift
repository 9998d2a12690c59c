import Domain
import Foundation
import Repositories

/// `GET /incidents/{id}/escalation` (SPEC §11): `{policy, state, step, loop, next_step_at,
/// steps: [{index, delay_seconds, targets, paged: [{user, contact_method, delivery_id, state}]}]}`
/// plus the incident, when it started, and who or what stopped it.
struct EscalationDTO: Encodable {
    let incident: String
    let policy: PolicyRefDTO
    let state: String
    let step: Int
    let loop: Int
    let loops: Int
    let nextStepAt: Date?
    let startedAt: Date
    let stoppedAt: Date?
    let stoppedBy: String?
    let stopReason: String?
    let steps: [EscalationStepDTO]

    init(_ detail: EscalationDetail) {
        let record = detail.record
        incident = EntityRef.incident(record.incidentID).description
        policy = PolicyRefDTO(id: record.policyID, name: record.policyName)
        state = record.state.rawValue
        step = record.position.step
        loop = record.position.loop
        loops = record.plan.loops
        nextStepAt = record.nextStepAt
        startedAt = record.startedAt
        stoppedAt = record.stoppedAt
        stoppedBy = record.stoppedBy
        stopReason = record.stopReason
        let pages = Dictionary(grouping: detail.pages, by: \.position.step)
        steps = EscalationStepDTO.steps(record.plan, names: detail.targetNames).map { step in
            EscalationStepDTO(
                index: step.index, delaySeconds: step.delaySeconds, targets: step.targets,
                paged: (pages[step.index] ?? []).map(EscalationPageDTO.init))
        }
    }

    enum CodingKeys: String, CodingKey {
        case incident, policy, state, step, loop, loops, steps
        case nextStepAt = "next_step_at"
        case startedAt = "started_at"
        case stoppedAt = "stopped_at"
        case stoppedBy = "stopped_by"
        case stopReason = "stop_reason"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(incident, forKey: .incident)
        try container.encode(policy, forKey: .policy)
        try container.encode(state, forKey: .state)
        try container.encode(step, forKey: .step)
        try container.encode(loop, forKey: .loop)
        try container.encode(loops, forKey: .loops)
        try container.encode(nextStepAt, forKey: .nextStepAt)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(stoppedAt, forKey: .stoppedAt)
        try container.encode(stoppedBy, forKey: .stoppedBy)
        try container.encode(stopReason, forKey: .stopReason)
        try container.encode(steps, forKey: .steps)
    }
}

/// `{id, name}` of a policy (id null once it was deleted: the escalation kept its plan).
struct PolicyRefDTO: Encodable {
    let id: Int64?
    let name: String

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
    }

    enum CodingKeys: String, CodingKey { case id, name }
}

/// One page: `{loop, user, contact_method, channel, delivery_id, state, created_at}`; a person's
/// page has `user` and `contact_method`, a channel's `channel`.
struct EscalationPageDTO: Encodable {
    let loop: Int
    let user: UserRefDTO?
    let contactMethod: ContactMethodRefDTO?
    let channel: ChannelRefDTO?
    let deliveryID: Int64
    let state: String
    let createdAt: Date

    init(_ page: EscalationPageRecord) {
        loop = page.position.loop
        user = page.userID.map { UserRefDTO(id: $0, name: page.userName) }
        contactMethod = page.contactMethodID.map { ContactMethodRefDTO(id: $0, kind: page.contactMethodKind) }
        channel = page.channelID.map { ChannelRefDTO(id: $0, name: page.channelName) }
        deliveryID = page.deliveryID
        state = page.state.rawValue
        createdAt = page.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case loop, user, channel, state
        case contactMethod = "contact_method"
        case deliveryID = "delivery_id"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(loop, forKey: .loop)
        try container.encode(user, forKey: .user)
        try container.encode(contactMethod, forKey: .contactMethod)
        try container.encode(channel, forKey: .channel)
        try container.encode(deliveryID, forKey: .deliveryID)
        try container.encode(state, forKey: .state)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// `{id, kind}` of a contact method (addresses stay on the person's own routes).
struct ContactMethodRefDTO: Encodable {
    let id: Int64
    let kind: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
    }

    enum CodingKeys: String, CodingKey { case id, kind }
}

/// `{id, name}` of a channel.
struct ChannelRefDTO: Encodable {
    let id: Int64
    let name: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
    }

    enum CodingKeys: String, CodingKey { case id, name }
}
