import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST|GET /api/v1/heartbeats`, `GET|PATCH|DELETE /api/v1/heartbeats/{name}` (SPEC §12, §14);
/// pings in HeartbeatsController+Ping. Configuration is admin, reading is viewer (Routes.swift).
enum HeartbeatsController {
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(HeartbeatBody.self)
        let new = try NewHeartbeat.validate(
            name: body.name, service: body.service?.text, intervalSeconds: body.intervalSeconds,
            graceSeconds: body.graceSeconds, severity: body.severity, enabled: body.enabled)
        let service = try service(new.service, context)
        let record = try HeartbeatRepository(context.connection).create(
            new, serviceID: service.id, now: context.now)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/heartbeats/\(record.name)")
        return try APIJSON.response(HeartbeatDTO(record), status: 201, headers: headers)
    }

    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let page = try PageRequest(context.request.query)
        let records = try HeartbeatRepository(context.connection).list(limit: page.limit, cursor: page.cursor)
        return try APIJSON.response(
            ListPage(items: records.items.map(HeartbeatDTO.init), nextCursor: records.nextCursor))
    }

    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        let name = try context.pathParameter("name")
        guard let record = try HeartbeatRepository(context.connection).find(name: name) else {
            throw DomainError.notFound(.heartbeat, name)
        }
        return try APIJSON.response(HeartbeatDTO(record))
    }

    /// Changes interval, grace, severity, service or `enabled`; the name is the identity.
    /// Disabling an expired heartbeat resolves its alert; enabling one arms it again from now.
    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let name = try context.pathParameter("name")
        let body = try context.request.decodeBody(HeartbeatBody.self)
        let patch = try HeartbeatPatch.validate(
            name: body.name, currentName: name, service: body.service?.text,
            intervalSeconds: body.intervalSeconds, graceSeconds: body.graceSeconds, severity: body.severity,
            enabled: body.enabled)
        let serviceID = try patch.service.map { try service($0, context).id }
        let record = try HeartbeatRepository(context.connection).update(
            name: name, patch: patch, serviceID: serviceID, actor: context.actor(nil), now: context.now)
        return try APIJSON.response(HeartbeatDTO(record))
    }

    /// Deletes the heartbeat (204); an expired one's alert is resolved first.
    @Sendable static func delete(_ context: RequestContext) throws -> HTTPResponse {
        let name = try context.pathParameter("name")
        try HeartbeatRepository(context.connection).delete(
            name: name, actor: context.actor(nil), now: context.now)
        return HTTPResponse(status: 204)
    }

    /// The service a body names; an unknown one is bad input naming `service` (422), never
    /// created on the fly: a heartbeat on a misspelled service would page nobody expected.
    static func service(_ reference: ServiceReference, _ context: RequestContext) throws -> ServiceRecord {
        guard let service = try ServiceRepository(context.connection).find(reference) else {
            throw ValidationError(field: "service", message: "no service \(reference) exists")
        }
        return service
    }
}
