import Domain
import Foundation
import Repositories

/// An escalation policy as the API shows it (SPEC §11): its steps counted from 1, each target
/// with its name (null for one deleted since), and the services using it.
struct EscalationPolicyDTO: Encodable {
    let id: Int64
    let name: String
    let `repeat`: Int
    let steps: [EscalationStepDTO]
    let services: [String]
    let createdAt: Date
    let updatedAt: Date

    init(_ record: EscalationPolicyRecord, names: [EscalationTarget: String]) {
        id = record.id
        name = record.name
        self.repeat = record.plan.repeat
        steps = EscalationStepDTO.steps(record.plan, names: names)
        services = record.services
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, `repeat`, steps, services
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One step: `{index, delay_seconds, targets}` (and `paged` in an incident's escalation).
struct EscalationStepDTO: Encodable {
    let index: Int
    let delaySeconds: Int
    let targets: [EscalationTargetDTO]
    /// Nil in a policy; the step's pages in an incident's escalation.
    let paged: [EscalationPageDTO]?

    static func steps(_ plan: EscalationPlan, names: [EscalationTarget: String]) -> [EscalationStepDTO] {
        plan.steps.enumerated().map { index, step in
            EscalationStepDTO(
                index: index + 1, delaySeconds: step.delaySeconds,
                targets: step.targets.map {
                    EscalationTargetDTO(type: $0.kind.rawValue, id: $0.id, name: names[$0])
                },
                paged: nil)
        }
    }

    enum CodingKeys: String, CodingKey {
        case index, targets, paged
        case delaySeconds = "delay_seconds"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(delaySeconds, forKey: .delaySeconds)
        try container.encode(targets, forKey: .targets)
        try container.encodeIfPresent(paged, forKey: .paged)
    }
}

/// `{type, id, name}`.
struct EscalationTargetDTO: Encodable {
    let type: String
    let id: Int64
    let name: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
    }

    enum CodingKeys: String, CodingKey { case type, id, name }
}
