import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST|GET /api/v1/schedules`, `GET|PATCH|DELETE /api/v1/schedules/{id}` (SPEC §10,
/// issue 15). Path ids are the number or the exact name. Writes are admin routes.
enum SchedulesController {
    /// 201 with the stored schedule. Unknown participants are issues naming their place.
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(ScheduleBody.self)
        let layers = layerInputs(body.layers)
        let known = try UserRepository(context.connection).existing(layers.flatMap { $0.participants ?? [] })
        let definition = try ScheduleDefinition.validate(
            name: body.name, timeZone: body.timeZone, layers: layers, knownUsers: known)
        let record = try ScheduleRepository(context.connection).create(definition)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/schedules/\(record.id)")
        return try APIJSON.response(try dto(record, context), status: 201, headers: headers)
    }

    /// `GET /schedules?limit=&cursor=`, in id order.
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let page = try PageRequest(context.request.query)
        let result = try ScheduleRepository(context.connection).list(limit: page.limit, cursor: page.cursor)
        let names = try UserRepository(context.connection).names(
            result.items.flatMap { $0.layers.flatMap(\.participants) })
        return try APIJSON.response(
            ListPage(items: result.items.map { ScheduleDTO($0, names: names) }, nextCursor: result.nextCursor)
        )
    }

    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        try APIJSON.response(try dto(try find(context), context))
    }

    /// `{name, time_zone, layers}`, each optional; `layers` replaces the list, and a layer that
    /// names a stored one (by `id`, else `name`) keeps the person on call now (docs/SCHEDULES.md).
    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let schedule = try find(context)
        let body = try context.request.decodeBody(ScheduleBody.self)
        let layers = body.layers.map(layerInputs)
        let known = try UserRepository(context.connection).existing(
            layers?.flatMap { $0.participants ?? [] } ?? [])
        let patch = try SchedulePatch.validate(
            name: body.name, timeZone: body.timeZone, layers: layers, knownUsers: known)
        guard
            let record = try ScheduleRepository(context.connection).update(
                id: schedule.id, patch: patch, now: context.now)
        else { throw DomainError.notFound(.schedule, String(schedule.id)) }
        return try APIJSON.response(try dto(record, context))
    }

    /// 204; the layers and overrides go with it.
    @Sendable static func delete(_ context: RequestContext) throws -> HTTPResponse {
        let schedule = try find(context)
        guard try ScheduleRepository(context.connection).delete(id: schedule.id) else {
            throw DomainError.notFound(.schedule, String(schedule.id))
        }
        return HTTPResponse(status: 204)
    }

    /// The schedule named by `{id}` (its number or its exact name); 404 when there is none.
    static func find(_ context: RequestContext) throws -> ScheduleRecord {
        let text = try context.pathParameter("id")
        let repository = ScheduleRepository(context.connection)
        let found = try Int64(text).flatMap { try repository.find(id: $0) } ?? repository.find(name: text)
        guard let found else { throw DomainError.notFound(.schedule, text) }
        return found
    }

    static func dto(_ record: ScheduleRecord, _ context: RequestContext) throws -> ScheduleDTO {
        ScheduleDTO(
            record, names: try UserRepository(context.connection).names(record.layers.flatMap(\.participants))
        )
    }

    static func layerInputs(_ bodies: [LayerBody]?) -> [LayerInput] {
        (bodies ?? []).map { body in
            LayerInput(
                id: body.id, name: body.name, rotation: body.rotation, length: body.length, start: body.start,
                participants: body.participants?.map(\.id),
                restriction: body.restriction.map {
                    RestrictionInput(days: $0.days, from: $0.from, to: $0.to)
                })
        }
    }
}
