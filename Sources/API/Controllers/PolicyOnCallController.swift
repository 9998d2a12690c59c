import Domain
import Foundation
import HTTPServer
import Repositories

/// `GET /api/v1/oncall?at=` (SPEC §10): every escalation policy level's on-call at `at`
/// (default now) — the people its schedules have on call then and the people it names
/// directly — and the channels it pages.
enum PolicyOnCallController {
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        var at = context.now
        if let text = context.request.query["at"] {
            guard let parsed = RFC3339.parse(text) else {
                throw ValidationError(
                    field: "at", message: "must be an RFC 3339 timestamp such as 2026-11-22T14:30:00Z")
            }
            at = parsed
        }
        let repository = EscalationPolicyRepository(context.connection)
        let policies = try repository.all()
        var computation = PolicyOnCalls(context: context, from: at, to: at)
        var entries: [PolicyOnCalls.Entry] = []
        for policy in policies { entries += try computation.entries(of: policy) }
        let names = try UserRepository(context.connection).names(entries.map(\.userID))
        let targetNames = try repository.targetNames(policies.flatMap(\.plan.allTargets))
        let byLevel = Dictionary(grouping: entries) { "\($0.policy.id)/\($0.level)" }
        let dto = PolicyOnCallPageDTO(
            at: at,
            policies: policies.map { policy in
                PolicyOnCallDTO(
                    id: policy.id, name: policy.name,
                    levels: policy.plan.steps.enumerated().map { index, step in
                        LevelOnCallDTO(
                            level: index + 1, delaySeconds: step.delaySeconds,
                            oncall: (byLevel["\(policy.id)/\(index + 1)"] ?? []).map { entry in
                                OnCallEntryDTO(
                                    user: UserRefDTO(id: entry.userID, name: names[entry.userID]),
                                    schedule: entry.schedule.map { ScheduleRefDTO(id: $0.id, name: $0.name) },
                                    start: entry.start, end: entry.end)
                            },
                            channels: step.targets.filter { $0.kind == .channel }.map {
                                ChannelRefDTO(id: $0.id, name: targetNames[$0])
                            })
                    })
            })
        return try APIJSON.response(dto)
    }
}

/// `GET /api/v1/oncall`: `{at, policies: [{id, name, levels: [{level, delay_seconds, oncall,
/// channels}]}]}`.
struct PolicyOnCallPageDTO: Encodable {
    let at: Date
    let policies: [PolicyOnCallDTO]
}

struct PolicyOnCallDTO: Encodable {
    let id: Int64
    let name: String
    let levels: [LevelOnCallDTO]
}

/// One level (step): who is on call for it and the channels it pages.
struct LevelOnCallDTO: Encodable {
    let level: Int
    let delaySeconds: Int
    let oncall: [OnCallEntryDTO]
    let channels: [ChannelRefDTO]

    enum CodingKeys: String, CodingKey {
        case level, oncall, channels
        case delaySeconds = "delay_seconds"
    }
}

/// `{user, schedule, start, end}`: `schedule` null (and no start or end) for a person the level
/// names directly.
struct OnCallEntryDTO: Encodable {
    let user: UserRefDTO
    let schedule: ScheduleRefDTO?
    let start: Date?
    let end: Date?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user, forKey: .user)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
    }

    enum CodingKeys: String, CodingKey { case user, schedule, start, end }
}
