import Domain
import Foundation
import Repositories

/// Who each escalation policy level has on call over a range (SPEC §10 `GET /api/v1/oncall`,
/// PagerDuty's `GET /oncalls`, SPEC §14: one entry per (policy, level, user)): a level's schedules
/// give their final shifts in the range, a person named directly is on call for good (no start
/// or end), channels are not people and give none.
struct PolicyOnCalls {
    /// One person on call for one level of one policy.
    struct Entry {
        let policy: EscalationPolicyRecord
        /// The step, from 1.
        let level: Int
        let userID: Int64
        /// Nil when the level names the person directly.
        let schedule: ScheduleRecord?
        let start: Date?
        let end: Date?
    }

    let context: RequestContext
    let from: Date
    let to: Date
    /// Schedules read so far, with their shifts in the range, by id (nil: no such schedule).
    private var shifts: [Int64: (record: ScheduleRecord, shifts: [OpenShift])?] = [:]

    init(context: RequestContext, from: Date, to: Date) {
        self.context = context
        self.from = from
        self.to = to
    }

    /// The entries of `policy`, level by level in target order; with `earliest`, only the first
    /// shift of each user per (level, schedule).
    mutating func entries(of policy: EscalationPolicyRecord, earliest: Bool = false) throws -> [Entry] {
        var entries: [Entry] = []
        for (index, step) in policy.plan.steps.enumerated() {
            for target in step.targets {
                switch target.kind {
                case .user:
                    entries.append(
                        Entry(
                            policy: policy, level: index + 1, userID: target.id, schedule: nil, start: nil,
                            end: nil))
                case .schedule:
                    guard let (record, shifts) = try schedule(target.id) else { continue }
                    var seen: Set<Int64> = []
                    for shift in shifts where !earliest || seen.insert(shift.userID).inserted {
                        entries.append(
                            Entry(
                                policy: policy, level: index + 1, userID: shift.userID, schedule: record,
                                start: shift.start, end: shift.end))
                    }
                case .channel:
                    continue
                }
            }
        }
        return entries
    }

    /// Schedule `id` and its final shifts in the range, computed once.
    mutating func schedule(_ id: Int64) throws -> (record: ScheduleRecord, shifts: [OpenShift])? {
        if let known = shifts[id] { return known }
        var computed: (record: ScheduleRecord, shifts: [OpenShift])?
        if let record = try ScheduleRepository(context.connection).find(id: id) {
            let computation = try OnCallController.computation(record, from: from, to: to, context: context)
            computed = (record, computation.openShifts(from: from, to: to))
        }
        shifts[id] = computed
        return computed
    }
}
