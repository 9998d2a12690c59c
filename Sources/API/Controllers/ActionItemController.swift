import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST /api/v1/incidents/{id}/postmortem/action-items`, `GET|PATCH /api/v1/action-items/{id}`
/// and `GET /api/v1/action-items` (issue 7; seed 003: owner, action, due date, status).
enum ActionItemController {
    /// Adds an item `{owner, action, due_date, status}` to the incident's post-mortem: 201 with
    /// `Location`; 404 when the incident or its post-mortem does not exist.
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let incidentID = try PostMortemController.incidentID(context)
        let body = try context.request.decodeBody(ActionItemBody.self)
        let item = try NewActionItem.validate(
            owner: body.owner, action: body.action, dueDate: body.dueDate, status: body.status)
        try PostMortemController.requireIncident(incidentID, context: context)
        let record = try ActionItemRepository(context.connection).add(
            item, incidentID: incidentID, actor: context.principal.actorName, now: context.now)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/action-items/\(record.item.id)")
        return try APIJSON.response(ActionItemDTO(record, now: context.now), status: 201, headers: headers)
    }

    /// One action item.
    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        let id = try itemID(context)
        guard let record = try ActionItemRepository(context.connection).find(id: id) else {
            throw DomainError.notFound(.actionItem, String(id))
        }
        return try APIJSON.response(ActionItemDTO(record, now: context.now))
    }

    /// Changes status (`open`/`done`), owner, action or due date (an empty `due_date` clears
    /// it). Allowed also after the post-mortem is published: follow-ups outlive the write-up.
    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let id = try itemID(context)
        let body = try context.request.decodeBody(ActionItemBody.self)
        let patch = try ActionItemPatch.validate(
            owner: body.owner, action: body.action, dueDate: body.dueDate, status: body.status)
        let record = try ActionItemRepository(context.connection).update(
            id: id, patch: patch, actor: context.principal.actorName, now: context.now)
        return try APIJSON.response(ActionItemDTO(record, now: context.now))
    }

    /// `GET /action-items?owner=&status=&overdue=true&limit=&cursor=`, oldest first. Overdue
    /// means open with a due date before today (UTC).
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let query = context.request.query
        var check = Validator()
        var status: ActionItemStatus?
        if let text = query["status"] {
            status = ActionItemStatus(parsing: text)
            check.check(status != nil, "status", "must be one of: open, done")
        }
        let owner = Validator.trimmed(query["owner"])
        let overdue = PostMortemQuery.flag(query, "overdue", into: &check)
        let page = check.page(query)
        // Every bad parameter at once (SPEC §4).
        guard check.isValid, let page else { throw check.error }
        let result = try ActionItemRepository(context.connection).list(
            ActionItemListFilter(owner: owner, status: status, overdueOnly: overdue ?? false),
            today: CalendarDate(context.now), limit: page.limit, cursor: page.cursor)
        return try APIJSON.response(
            ListPage(
                items: result.items.map { ActionItemDTO($0, now: context.now) }, nextCursor: result.nextCursor
            ))
    }

    /// The numeric `{id}` path parameter; 404 for anything else.
    static func itemID(_ context: RequestContext) throws -> Int64 {
        let text = try context.pathParameter("id")
        do {
            return try EntityRef.parse(text, expecting: .actionItem).id
        } catch {
            throw DomainError.notFound(.actionItem, text)
        }
    }
}
