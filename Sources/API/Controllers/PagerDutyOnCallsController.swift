import Domain
import Foundation
import HTTPServer
import Repositories

/// PagerDuty REST compatibility: `GET /oncalls` at the root (SPEC §10, §14), so pdpyras'
/// `APISession.iter_all('oncalls')` and tools built on PagerDuty's REST API can ask who is on
/// call. Filters `schedule_ids[]`, `user_ids[]`, `since`, `until`, `earliest`; paged with
/// `limit`/`offset`/`more`/`total`.
///
/// Escalation policies do not exist yet (SPEC §11), so every entry comes from a schedule, with
/// `escalation_policy` and `escalation_level` null; `escalation_policy_ids[]` is accepted and,
/// as no policy can match it, answers no entries.
enum PagerDutyOnCallsController {
    static let defaultLimit = 25
    static let maxLimit = 100  // 422 beyond (PagerDuty's own maximum)
    /// PagerDuty refuses ranges over 90 days; so do we (422 naming `until`).
    static let maxRange: TimeInterval = 90 * 86_400

    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let query = try OnCallsQuery(context.request.query, now: context.now)
        var entries: [(schedule: ScheduleRecord, shift: OpenShift)] = []
        if query.escalationPolicyIDs.isEmpty {
            for schedule in try schedules(matching: query.scheduleIDs, context: context) {
                let computed = try OnCallController.computation(
                    schedule, from: query.since, to: query.until, context: context)
                var seen: Set<Int64> = []
                for shift in computed.openShifts(from: query.since, to: query.until) {
                    if !query.userIDs.isEmpty && !query.userIDs.contains(shift.userID) { continue }
                    // `earliest`: only the first on-call of each user (per schedule).
                    if query.earliest && !seen.insert(shift.userID).inserted { continue }
                    entries.append((schedule, shift))
                }
            }
        }
        let page = entries.dropFirst(query.offset).prefix(query.limit)
        let names = try UserRepository(context.connection).names(page.map(\.shift.userID))
        let oncalls = page.map { entry in
            PagerDutyOnCall(
                user: PagerDutyReference(
                    id: String(entry.shift.userID), type: "user_reference",
                    summary: names[entry.shift.userID] ?? "user \(entry.shift.userID)"),
                schedule: PagerDutyReference(
                    id: String(entry.schedule.id), type: "schedule_reference", summary: entry.schedule.name),
                escalationPolicy: nil, escalationLevel: nil, start: entry.shift.start, end: entry.shift.end)
        }
        return try APIJSON.response(
            PagerDutyOnCallPage(
                oncalls: oncalls, limit: query.limit, offset: query.offset,
                more: query.offset + oncalls.count < entries.count, total: entries.count))
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
