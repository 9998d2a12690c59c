import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST|GET /api/v1/schedules/{id}/overrides`, `DELETE .../overrides/{oid}` (SPEC §10): the
/// newest override covering an instant wins; deleting one restores what was below it.
enum ScheduleOverridesController {
    /// `{user, start, end}` (RFC 3339) → 201.
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let schedule = try SchedulesController.find(context)
        let body = try context.request.decodeBody(OverrideBody.self)
        let users = UserRepository(context.connection)
        let known = try users.existing(body.user.map { [$0.id] } ?? [])
        let override = try NewOverride.validate(
            user: body.user?.id, start: body.start, end: body.end, knownUsers: known)
        let record = try ScheduleRepository(context.connection).addOverride(
            override, scheduleID: schedule.id, actor: context.principal.actorName)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/schedules/\(schedule.id)/overrides/\(record.id)")
        return try APIJSON.response(
            OverrideDTO(record, names: try users.names([record.userID])), status: 201, headers: headers)
    }

    /// `GET .../overrides?ending_after=&limit=&cursor=`, in creation order.
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let schedule = try SchedulesController.find(context)
        let query = context.request.query
        var check = Validator()
        var endingAfter: Date?
        if let text = query["ending_after"] {
            endingAfter = RFC3339.parse(text)
            check.check(endingAfter != nil, "ending_after", "must be an RFC 3339 timestamp")
        }
        let page = check.page(query)
        guard check.isValid, let page else { throw check.error }
        let result = try ScheduleRepository(context.connection).listOverrides(
            scheduleID: schedule.id, endingAfter: endingAfter, limit: page.limit, cursor: page.cursor)
        let names = try UserRepository(context.connection).names(result.items.map(\.userID))
        return try APIJSON.response(
            ListPage(items: result.items.map { OverrideDTO($0, names: names) }, nextCursor: result.nextCursor)
        )
    }

    /// 204; 404 for an override of another schedule.
    @Sendable static func delete(_ context: RequestContext) throws -> HTTPResponse {
        let schedule = try SchedulesController.find(context)
        let text = try context.pathParameter("oid")
        guard let id = Int64(text), id > 0,
            try ScheduleRepository(context.connection).deleteOverride(id: id, scheduleID: schedule.id)
        else { throw DomainError.notFound(.scheduleOverride, text) }
        return HTTPResponse(status: 204)
    }
}
