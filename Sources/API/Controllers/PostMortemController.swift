import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST|GET|PATCH /api/v1/incidents/{id}/postmortem`, `GET /api/v1/incidents/{id}/postmortem.md`
/// and `GET /api/v1/postmortems` (issue 7, SPEC §3 "Post-mortem").
enum PostMortemController {
    /// The Markdown rendering's media type (issue 7: curl-friendly, ready for a wiki).
    static let markdownContentType = "text/markdown; charset=utf-8"

    /// Creates the pre-filled draft: 201 with `Location`; 409 when the incident already has
    /// one or is not resolved (unless `{"force": true}` or `?force=true`). The body is optional.
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let incidentID = try incidentID(context)
        var check = Validator()
        var force = PostMortemQuery.flag(context.request.query, "force", into: &check) ?? false
        try check.finish()
        if !context.request.body.isEmpty {
            force = try context.request.decodeBody(PostMortemCreateBody.self).force ?? force
        }
        let record = try PostMortemRepository(context.connection).create(
            incidentID: incidentID, force: force, actor: context.principal.actorName,
            policy: context.environment.settings.slaPolicy, now: context.now)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/incidents/\(EntityRef.incident(incidentID))/postmortem")
        return try APIJSON.response(PostMortemDTO(record, now: context.now), status: 201, headers: headers)
    }

    /// The post-mortem of the incident, or 404 naming what is missing (incident or post-mortem).
    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        try APIJSON.response(PostMortemDTO(try find(context), now: context.now))
    }

    /// Edits text fields and moves the status (issue 7). Publishing writes a
    /// `postmortem_published` timeline entry; a published post-mortem answers 409 to edits
    /// unless the same request, by an admin, reopens it. Reopening is a transition rule of the
    /// post-mortem (``PostMortemTransition``), not route access: the route stays `responder`.
    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let incidentID = try incidentID(context)
        let body = try context.request.decodeBody(PostMortemPatchBody.self)
        let patch = try PostMortemPatch.validate(
            summary: body.summary, impact: body.impact, rootCause: body.rootCause, lessons: body.lessons,
            prevention: body.prevention, status: body.status)
        try requireIncident(incidentID, context: context)
        let record = try PostMortemRepository(context.connection).update(
            incidentID: incidentID, patch: patch, isAdmin: context.principal.role == .admin,
            actor: context.principal.actorName, policy: context.environment.settings.slaPolicy,
            now: context.now)
        return try APIJSON.response(PostMortemDTO(record, now: context.now))
    }

    /// Seed 003's template filled in, as `text/markdown` (``PostMortemMarkdown``).
    @Sendable static func markdown(_ context: RequestContext) throws -> HTTPResponse {
        let record = try find(context)
        guard let incident = try IncidentRepository(context.connection).find(id: record.postMortem.incidentID)
        else {
            throw DomainError.notFound(
                .incident, EntityRef.incident(record.postMortem.incidentID).description)
        }
        return .text(
            PostMortemMarkdown.render(record.postMortem, incident: incident), contentType: markdownContentType
        )
    }

    /// `GET /postmortems?status=&overdue=true&limit=&cursor=`, newest first. `status` takes
    /// comma-separated values; overdue means past due (SEV1/SEV2: 48 h after resolution) and
    /// not published.
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let query = context.request.query
        var check = Validator()
        let statuses = query.listValues("status").compactMap { text -> PostMortemStatus? in
            guard let status = PostMortemStatus(parsing: text) else {
                check.add("status", "must be one of: draft, in_review, published")
                return nil
            }
            return status
        }
        let overdue = PostMortemQuery.flag(query, "overdue", into: &check)
        let page = check.page(query)
        // Every bad parameter at once (SPEC §4).
        guard check.isValid, let page else { throw check.error }
        let result = try PostMortemRepository(context.connection).list(
            PostMortemListFilter(statuses: statuses, overdueOnly: overdue ?? false),
            policy: context.environment.settings.slaPolicy, now: context.now, limit: page.limit,
            cursor: page.cursor)
        return try APIJSON.response(
            ListPage(
                items: result.items.map { PostMortemDTO($0, now: context.now) }, nextCursor: result.nextCursor
            ))
    }

    /// The post-mortem of the `{id}` incident; 404 for an unknown incident or one without.
    static func find(_ context: RequestContext) throws -> PostMortemRecord {
        let incidentID = try incidentID(context)
        let policy = context.environment.settings.slaPolicy
        guard
            let record = try PostMortemRepository(context.connection).find(
                incidentID: incidentID, policy: policy)
        else {
            try requireIncident(incidentID, context: context)
            throw DomainError.notFound(.postMortem, "for \(EntityRef.incident(incidentID))")
        }
        return record
    }

    /// 404 naming the incident when it does not exist.
    static func requireIncident(_ id: Int64, context: RequestContext) throws {
        guard try IncidentRepository(context.connection).find(id: id) != nil else {
            throw DomainError.notFound(.incident, EntityRef.incident(id).description)
        }
    }

    /// The incident id in the `{id}` path parameter (`42` or `INC-42`, SPEC §4); 404 otherwise.
    static func incidentID(_ context: RequestContext) throws -> Int64 {
        let text = try context.pathParameter("id")
        do {
            return try EntityRef.parse(text, expecting: .incident).id
        } catch {
            throw DomainError.notFound(.incident, text)
        }
    }
}
