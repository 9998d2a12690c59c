import Domain
import Foundation

/// `POST|PATCH /escalation-policies` body (SPEC §11).
struct EscalationPolicyBody: Decodable {
    let name: String?
    let steps: [EscalationStepBody]?
    let `repeat`: Int?

    /// The fields for Domain's validation.
    var input: EscalationPolicyInput {
        EscalationPolicyInput(
            name: name,
            steps: steps?.map { step in
                EscalationPolicyInput.StepInput(
                    delaySeconds: step.delaySeconds,
                    targets: step.targets?.map {
                        EscalationPolicyInput.TargetInput(type: $0.type, id: $0.id?.id)
                    })
            },
            repeat: self.repeat)
    }
}

/// `{delay_seconds, targets}`.
struct EscalationStepBody: Decodable {
    let delaySeconds: Int?
    let targets: [EscalationTargetBody]?

    enum CodingKeys: String, CodingKey {
        case delaySeconds = "delay_seconds"
        case targets
    }
}

/// `{type, id}`; `id` a number or a numeric string (what the API's answers show, so a policy
/// read can be sent back as it is).
struct EscalationTargetBody: Decodable {
    let type: String?
    let id: UserReferenceInput?
}

/// A service's `escalation_policy` in a body: a policy id (number or string) or name, or
/// `null` to remove it. Absent and `null` differ here (absent leaves the policy as it is).
enum PolicyReference: Equatable {
    case reference(String)
    case null

    /// Reads the `escalation_policy` key of `container`: nil when absent.
    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, key: Key) throws
        -> PolicyReference?
    {
        guard container.contains(key) else { return nil }
        if try container.decodeNil(forKey: key) { return .null }
        if let number = try? container.decode(Int64.self, forKey: key) { return .reference(String(number)) }
        return .reference(try container.decode(String.self, forKey: key))
    }
}
