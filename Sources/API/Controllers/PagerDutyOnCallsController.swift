import Domain
import Foundation
import HTTPServer
import Repositories

/// PagerDuty REST compatibility: `GET /oncalls` at the root (SPEC §10, §14), so pdpyras'
/// `APISession.iter_all('oncalls')` and tools built on PagerDuty's REST API can ask who is on
/// call. Filters `schedule_ids[]`, `escalation_policy_ids[]`, `user_ids[]`, `since`, `until`,
/// `earliest`; paged with `limit`/`offset`/`more`/`total`.
///
/// One entry per (policy, level, user) first (``PolicyOnCalls``): a level's schedules give their
/// shifts in the range, a person the level names directly has `schedule` null and no start or
/// end. Then, unless policies were asked for, the schedules no policy names, with
/// `escalation_policy` and `escalation_level` null (so schedules answer before any policy exists).
enum PagerDutyOnCallsController {
    static let defaultLimit = 25
    static let maxLimit = 100  // 422 beyond (PagerDuty's own maximum)
    /// PagerDuty refuses ranges over 90 days; so do we (422 naming `until`).
    static let maxRange: TimeInterval = 90 * 86_400

    /// One entry before it is rendered.
    private struct Entry {
        let userID: Int64
        let schedule: ScheduleRecord?
        let policy: EscalationPolicyRecord?
        let level: Int?
        let start: Date?
        let end: Date?
    }

    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let query = try OnCallsQuery(context.request.query, now: context.now)
        var entries = try policyEntries(query, context: context)
        if query.escalationPolicyIDs.isEmpty {
            let named = Set(
                try EscalationPolicyRepository(context.connection).all().flatMap(\.plan.allTargets)
                    .filter { $0.kind == .schedule }.map(\.id))
            for schedule in try schedules(matching: query.scheduleIDs, context: context)
            where !named.contains(schedule.id) {
                let computed = try OnCallController.computation(
                    schedule, from: query.since, to: query.until, context: context)
                var seen: Set<Int64> = []
                for shift in computed.openShifts(from: query.since, to: query.until) {
                    if !query.userIDs.isEmpty && !query.userIDs.contains(shift.userID) { continue }
                    // `earliest`: only the first on-call of each user (per schedule).
                    if query.earliest && !seen.insert(shift.userID).inserted { continue }
                    entries.append(
                        Entry(
                            userID: shift.userID, schedule: schedule, policy: nil, level: nil,
                            start: shift.start,
                            end: shift.end))
                }
            }
        }
        let page = entries.dropFirst(query.offset).prefix(query.limit)
        let names = try UserRepository(context.connection).names(page.map(\.userID))
        let oncalls = page.map { entry in
            PagerDutyOnCall(
                user: PagerDutyReference(
                    id: String(entry.userID), type: "user_reference",
                    summary: names[entry.userID] ?? "user \(entry.userID)"),
                schedule: entry.schedule.map {
                    PagerDutyReference(id: String($0.id), type: "schedule_reference", summary: $0.name)
                },
                escalationPolicy: entry.policy.map {
                    PagerDutyReference(
                        id: String($0.id), type: "escalation_policy_reference", summary: $0.name)
                },
                escalationLevel: entry.level, start: entry.start, end: entry.end)
        }
        return try APIJSON.response(
            PagerDutyOnCallPage(
                oncalls: oncalls, limit: query.limit, offset: query.offset,
                more: query.offset + oncalls.count < entries.count, total: entries.count))
    }

    /// The (policy, level, user) entries the query selects.
    private static func policyEntries(_ query: OnCallsQuery, context: RequestContext) throws -> [Entry] {
        var computation = PolicyOnCalls(context: context, from: query.since, to: query.until)
        var entries: [Entry] = []
        for policy in try EscalationPolicyRepository(context.connection).all() {
            if !query.escalationPolicyIDs.isEmpty,
                !query.escalationPolicyIDs.contains(String(policy.id)),
                !query.escalationPolicyIDs.contains(policy.name)
            {
                continue
            }
            for entry in try computation.entries(of: policy, earliest: query.earliest) {
                if !query.userIDs.isEmpty && !query.userIDs.contains(entry.userID) { continue }
                if !query.scheduleIDs.isEmpty {
                    // A schedule filter keeps only entries that come from those schedules.
                    guard let schedule = entry.schedule,
                        query.scheduleIDs.contains(String(schedule.id))
                            || query.scheduleIDs.contains(schedule.name)
                    else { continue }
                }
                entries.append(
                    Entry(
                        userID: entry.userID, schedule: entry.schedule, policy: policy, level: entry.level,
                        start: entry.start, end: entry.end))
            }
        }
        return entries
    }

    /// Every schedule in id order, or those whose id or exact name is in `filter`.
    static func schedules(matching filter: [String], context: RequestContext) throws -> [ScheduleRecord] {
        let repository = ScheduleRepository(context.connection)
        var all: [ScheduleRecord] = []
        var cursor: String?
        repeat {
            let page = try repository.list(limit: PageRequest.maxLimit, cursor: cursor)
            all += page.items
            cursor = page.nextCursor
        } while cursor != nil
        guard !filter.isEmpty else { return all }
        return all.filter { filter.contains(String($0.id)) || filter.contains($0.name) }
    }
}

/// The query of `GET /oncalls`, checked all at once.
struct OnCallsQuery {
    let scheduleIDs: [String]
    let userIDs: Set<Int64>
    let escalationPolicyIDs: [String]
    let since: Date
    let until: Date
    let earliest: Bool
    let limit: Int
    let offset: Int

    init(_ query: QueryParameters, now: Date) throws {
        var check = Validator()
        // PagerDuty's clients send `name[]=`; a plain `name=` (comma-separated too) is read alike.
        func list(_ name: String) -> [String] { query.listValues("\(name)[]") + query.listValues(name) }
        scheduleIDs = list("schedule_ids")
        escalationPolicyIDs = list("escalation_policy_ids")
        var users: Set<Int64> = []
        for text in list("user_ids") {
            if let id = Int64(text) { users.insert(id) } else { check.add("user_ids[]", "must be user ids") }
        }
        userIDs = users
        var since: Date? = now
        if let text = query["since"] {
            since = RFC3339.parse(text)
            check.check(since != nil, "since", "must be an RFC 3339 timestamp")
        }
        // PagerDuty: `until` defaults to now; with only `since` given, the instant `since`.
        var until: Date? = query["since"] == nil ? now : since
        if let text = query["until"] {
            until = RFC3339.parse(text)
            check.check(until != nil, "until", "must be an RFC 3339 timestamp")
        }
        if let since, let until {
            check.check(since <= until, "until", "must not be before since")
            check.check(
                until.timeIntervalSince(since) <= PagerDutyOnCallsController.maxRange, "until",
                "must be at most 90 days after since")
        }
        let earliestText = query["earliest"]?.lowercased()
        check.check(
            earliestText == nil || earliestText == "true" || earliestText == "false", "earliest",
            "must be true or false")
        earliest = earliestText == "true"
        let limitText = query["limit"]
        limit = limitText.flatMap(Int.init) ?? PagerDutyOnCallsController.defaultLimit
        check.check(
            limitText == nil
                || (Int(limitText ?? "").map { (1...PagerDutyOnCallsController.maxLimit).contains($0) }
                    ?? false),
            "limit", "must be a whole number from 1 to \(PagerDutyOnCallsController.maxLimit)")
        let offsetText = query["offset"]
        offset = offsetText.flatMap(Int.init) ?? 0
        check.check(
            offset >= 0 && (offsetText == nil || Int(offsetText ?? "") != nil), "offset",
            "must be a whole number, 0 or more")
        guard check.isValid, let since, let until else { throw check.error }
        self.since = since
        self.until = until
    }
}
