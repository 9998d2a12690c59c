import Domain
import Foundation
import HTTPServer
import Repositories

/// `GET|POST /api/v1/incidents/{id}/timeline` (issue 6): the incident's entries (and its
/// alerts') in the order things happened, and notes. Entries are never edited or deleted
/// through the API.
enum TimelineController {
    /// One page of the timeline, `occurred_at` order, cursor pagination (SPEC §4 list shape).
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let page = try PageRequest(context.request.query)
        let text = try context.pathParameter("id")
        let repository = IncidentRepository(context.connection)
        guard let incident = try repository.find(id: try IncidentsController.incidentID(text)) else {
            throw DomainError.notFound(.incident, text)
        }
        let entries = try repository.timeline(id: incident.id, limit: page.limit, cursor: page.cursor)
        return try APIJSON.response(
            ListPage(items: entries.items.map(IncidentTimelineEntryDTO.init), nextCursor: entries.nextCursor))
    }

    /// Adds a note `{body, occurred_at, by}` (201). `occurred_at` may back-date it, never put it
    /// in the future (422). Only notes can be written: other kinds record state changes and are
    /// written by the routes that make them (`TimelineEntryKind.clientWritable`).
    @Sendable static func addNote(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(IncidentNoteBody.self)
        var check = Validator()
        let by = check.optional("by", body.by, maxLength: TimelineEntry.maxActorLength, singleLine: true)
        if let kind = Validator.trimmed(body.kind) {
            let writable = TimelineEntryKind.clientWritable.map(\.rawValue).sorted()
            check.check(
                TimelineEntryKind(rawValue: kind).map(TimelineEntryKind.clientWritable.contains) == true,
                "kind",
                "must be one of: \(writable.joined(separator: ", ")); other entries are written by state changes"
            )
        }
        let note: TimelineNote
        do {
            note = try TimelineNote.validate(body: body.body, occurredAt: body.occurredAt, now: context.now)
        } catch {
            throw ValidationError(error.issues + check.issues)
        }
        try check.finish()
        let entry = try IncidentRepository(context.connection).addNote(
            id: try IncidentsController.pathID(context), note: note, actor: context.actor(by),
            now: context.now)
        return try APIJSON.response(IncidentTimelineEntryDTO(entry), status: 201)
    }
}
