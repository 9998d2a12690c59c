import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST /api/v1/alerts/{id}/acknowledge|resolve`, `GET|POST /api/v1/alerts/{id}/timeline`.
extension AlertsController {
    /// SPEC §3: triggered → acknowledged (200); acknowledged → 200 no-op; resolved → 409.
    @Sendable static func acknowledge(_ context: RequestContext) throws -> HTTPResponse {
        let body =
            try optionalBody(AlertAcknowledgeBody.self, context) ?? AlertAcknowledgeBody(by: nil, note: nil)
        let action = try ResponderAction.acknowledge(by: body.by, note: body.note)
        let id = try alertID(try context.pathParameter("id"))
        let result = try AlertRepository(context.connection).acknowledge(
            id: id, actor: context.actor(action.by), note: action.text, now: context.now)
        return try APIJSON.response(AlertDTO(result.record))
    }

    /// SPEC §3: triggered or acknowledged → resolved (200); resolved → 409.
    @Sendable static func resolve(_ context: RequestContext) throws -> HTTPResponse {
        let body =
            try optionalBody(AlertResolveBody.self, context) ?? AlertResolveBody(by: nil, resolution: nil)
        let action = try ResponderAction.resolve(by: body.by, resolution: body.resolution)
        let id = try alertID(try context.pathParameter("id"))
        let result = try AlertRepository(context.connection).resolve(
            id: id, actor: context.actor(action.by), resolution: action.text, now: context.now)
        return try APIJSON.response(AlertDTO(result.record))
    }

    /// The alert's timeline in the order things happened, with cursor pagination.
    @Sendable static func timeline(_ context: RequestContext) throws -> HTTPResponse {
        let page = try PageRequest(context.request.query)
        let alert = try find(context)
        let entries = try TimelineRepository(context.connection).list(
            .alert(alert.id), limit: page.limit, cursor: page.cursor)
        return try APIJSON.response(
            ListPage(items: entries.items.map(AlertTimelineEntryDTO.init), nextCursor: entries.nextCursor))
    }

    /// Adds a note `{body, occurred_at, by}` to the alert's timeline (201); resolved alerts
    /// take notes too, for what was learned afterwards.
    @Sendable static func addNote(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(AlertNoteBody.self)
        var check = Validator()
        let by = check.optional("by", body.by, maxLength: TimelineEntry.maxActorLength, singleLine: true)
        let note: TimelineNote
        do {
            note = try TimelineNote.validate(body: body.body, occurredAt: body.occurredAt, now: context.now)
        } catch {
            throw ValidationError(check.issues + error.issues)
        }
        try check.finish()
        let alert = try find(context)
        let entry = try TimelineRepository(context.connection).append(
            .note(note, actor: context.actor(by)), to: .alert(alert.id, serviceID: alert.serviceID),
            now: context.now)
        return try APIJSON.response(AlertTimelineEntryDTO(entry), status: 201)
    }

    /// The decoded body, or nil when the request has none (`curl -X POST .../acknowledge`).
    static func optionalBody<Body: Decodable>(_ type: Body.Type, _ context: RequestContext) throws -> Body? {
        guard !context.request.body.isEmpty else { return nil }
        return try context.request.decodeBody(type)
    }
}
