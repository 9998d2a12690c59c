import Domain
import Foundation
import HTTPServer
import Postgres
import Repositories

/// Who is on call (SPEC §10): `GET /api/v1/schedules/{id}/oncall?at=`, `.../shifts?from=&to=`
/// and `.../calendar.ics`, computed by Domain from the stored rules on every read.
enum OnCallController {
    /// Longest `shifts` range (422 naming `to` beyond).
    static let maxShiftsRange: TimeInterval = 400 * 86_400
    /// `shifts` without `to`: a week from `from`.
    static let defaultShiftsRange: TimeInterval = 7 * 86_400
    /// `calendar.ics` (SPEC §14): from 7 days back to 90 days ahead.
    static let calendarPast: TimeInterval = 7 * 86_400
    static let calendarFuture: TimeInterval = 90 * 86_400
    /// `oncall`: the overrides within a day either side are read first, then within two weeks
    /// (see ``answer(_:at:context:)``).
    static let narrowWindows: [TimeInterval] = [86_400, 14 * 86_400]

    /// `?at=` (RFC 3339, default now) → `{user, start, end, source, layer, next}`.
    @Sendable static func onCall(_ context: RequestContext) throws -> HTTPResponse {
        let record = try SchedulesController.find(context)
        var at = context.now
        if let text = context.request.query["at"] {
            guard let parsed = RFC3339.parse(text) else {
                throw ValidationError(
                    field: "at", message: "must be an RFC 3339 timestamp such as 2026-11-22T14:30:00Z")
            }
            at = parsed
        }
        let answer = try answer(record, at: at, context: context)
        let names = try UserRepository(context.connection).names(
            [answer.point?.userID, answer.nextUserID].compactMap { $0 })
        var layer: String?
        var overrideID: Int64?
        switch answer.point?.source {
        case .layer(let index): layer = record.layers[index].name
        case .override(let id): overrideID = id
        case nil: break
        }
        let dto = OnCallDTO(
            schedule: ScheduleRefDTO(id: record.id, name: record.name), at: at,
            user: answer.point.map { UserRefDTO(id: $0.userID, name: names[$0.userID]) }, start: answer.start,
            end: answer.end,
            source: answer.point.map { if case .override = $0.source { "override" } else { "layer" } },
            layer: layer, overrideID: overrideID,
            next: answer.end.map { end in
                NextOnCallDTO(user: answer.nextUserID.map { UserRefDTO(id: $0, name: names[$0]) }, at: end)
            })
        // "Now" changes at the next hand-off; a fixed `at` only with the rules.
        context.allowCaching(until: context.request.query["at"] == nil ? answer.end : nil)
        return try APIJSON.response(dto)
    }

    /// `?from=&to=` (default now and a week later, at most 400 days) → the final shifts.
    @Sendable static func shifts(_ context: RequestContext) throws -> HTTPResponse {
        let record = try SchedulesController.find(context)
        let (from, to) = try range(context.request.query, now: context.now)
        let shifts = try computation(record, overlapping: from, to, context: context).shifts(
            from: from, to: to)
        let names = try UserRepository(context.connection).names(shifts.map(\.userID))
        return try APIJSON.response(
            ShiftsDTO(
                schedule: ScheduleRefDTO(id: record.id, name: record.name), from: from, to: to,
                items: shifts.map {
                    ShiftDTO(
                        user: UserRefDTO(id: $0.userID, name: names[$0.userID]), start: $0.start, end: $0.end)
                }))
    }

    /// iCalendar (RFC 5545), one VEVENT per final shift overlapping 7 days back to 90 ahead.
    @Sendable static func calendar(_ context: RequestContext) throws -> HTTPResponse {
        let record = try SchedulesController.find(context)
        let from = context.now.addingTimeInterval(-calendarPast)
        let to = context.now.addingTimeInterval(calendarFuture)
        let shifts = try computation(record, from: from, to: to, context: context).openShifts(
            from: from, to: to)
        let names = try UserRepository(context.connection).names(shifts.map(\.userID))
        let text = ScheduleCalendar(scheduleID: record.id, scheduleName: record.name, stamp: context.now)
            .render(
                shifts.map { shift in
                    Shift(userID: shift.userID, start: shift.start ?? from, end: shift.end ?? to)
                }, names: names)
        var headers = HTTPHeaders()
        headers.set(name: "Content-Disposition", value: "inline; filename=\"schedule-\(record.id).ics\"")
        return .text(text, contentType: "text/calendar; charset=utf-8", headers: headers)
    }

    /// The schedule's rules with every override that overlaps [`from`, `to`]: exact for any
    /// computation that only looks at instants in that window.
    static func computation(
        _ record: ScheduleRecord, overlapping from: Date, _ to: Date, context: RequestContext
    )
        throws -> OnCallSchedule
    {
        let overrides = try ScheduleRepository(context.connection).overrideRules(
            scheduleID: record.id, endingAfter: from, startingBefore: to)
        return OnCallSchedule(zone: record.zone, layers: record.layers, overrides: overrides)
    }

    /// ``computation(_:overlapping:_:context:)`` widened by the search horizon either side, for
    /// where the shifts around `from` and `to` start and end.
    static func computation(_ record: ScheduleRecord, from: Date, to: Date, context: RequestContext) throws
        -> OnCallSchedule
    {
        try computation(
            record, overlapping: from.addingTimeInterval(-OnCallSchedule.searchHorizon),
            to.addingTimeInterval(OnCallSchedule.searchHorizon), context: context)
    }

    /// The answer at `at`, reading only the overrides near it when that is enough: the answer
    /// looks only at instants from just before its `start` to its `end`, so when both lie
    /// inside a window around `at` the overrides overlapping that window are all that matter.
    /// The windows widen (a day, two weeks) while the shift reaches past them; past the last
    /// (a long shift, nobody for weeks) it reads a year either side. A schedule with a thousand
    /// overrides in a fortnight reads a few hundred, not all (docs/PERFORMANCE.md, "Schedules").
    static func answer(_ record: ScheduleRecord, at: Date, context: RequestContext) throws -> OnCallAnswer {
        for window in narrowWindows {
            let from = at.addingTimeInterval(-window)
            let to = at.addingTimeInterval(window)
            let near = try computation(record, overlapping: from, to, context: context).answer(at: at)
            if let start = near.start, let end = near.end, start > from, end < to { return near }
        }
        return try computation(record, from: at, to: at, context: context).answer(at: at)
    }

    /// `from` (default now) and `to` (default a week later), checked together.
    static func range(_ query: QueryParameters, now: Date) throws -> (Date, Date) {
        var check = Validator()
        var from: Date? = now
        if let text = query["from"] {
            from = RFC3339.parse(text)
            check.check(from != nil, "from", "must be an RFC 3339 timestamp")
        }
        var to: Date? = from?.addingTimeInterval(defaultShiftsRange)
        if let text = query["to"] {
            to = RFC3339.parse(text)
            check.check(to != nil, "to", "must be an RFC 3339 timestamp")
        }
        if let from, let to {
            check.check(from < to, "to", "must be after from")
            check.check(
                to.timeIntervalSince(from) <= maxShiftsRange, "to",
                "must be at most \(Int(maxShiftsRange / 86_400)) days after from")
        }
        guard check.isValid, let from, let to else { throw check.error }
        return (from, to)
    }
}
