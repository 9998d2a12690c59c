import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST|GET /api/v1/incidents`, `GET /api/v1/incidents/{id}` (issue 6, SPEC §4). Edits and
/// the response workflow are in `IncidentsController+Actions.swift`; the timeline in
/// `TimelineController.swift`.
enum IncidentsController {
    /// Declares an incident: 201 with `Location` and the incident with its alerts.
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(IncidentCreateBody.self)
        var check = Validator()
        let by = check.optional("by", body.by, maxLength: TimelineEntry.maxActorLength, singleLine: true)
        let new: NewIncident
        do {
            new = try NewIncident.validate(
                title: body.title, severity: body.severity, summary: body.summary, impact: body.impact,
                commander: body.commander, services: body.services, alertIDs: body.alertIDs?.map(\.text),
                startedAt: body.startedAt, detectedAt: body.detectedAt, now: context.now)
        } catch {
            throw ValidationError(error.issues + check.issues)
        }
        try check.finish()
        let repository = IncidentRepository(context.connection)
        let incident = try repository.create(
            new, actor: context.actor(by), policy: context.environment.settings.slaPolicy, now: context.now)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/incidents/\(incident.id)")
        return try respond(try repository.detail(of: incident), context, status: 201, headers: headers)
    }

    /// `GET /incidents?status=&severity=&service=&since=&limit=&cursor=`, newest first. Filters
    /// take comma-separated or repeated values; `status=open` is every status but `resolved`,
    /// severities take the aliases of SPEC §3 (`P1`, `critical`, ...).
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let query = context.request.query
        var check = Validator()
        var statuses: Set<IncidentStatus> = []
        for text in query.listValues("status") {
            if text.lowercased() == "open" {
                statuses.formUnion(IncidentStatus.openStatuses)
            } else if let status = IncidentStatus(parsing: text) {
                statuses.insert(status)
            } else {
                check.add("status", "must be open or one of: investigating, identified, monitoring, resolved")
            }
        }
        var severities: Set<IncidentSeverity> = []
        for text in query.listValues("severity") {
            guard let severity = IncidentSeverity(parsing: text) else {
                check.add("severity", "must be SEV1..SEV4 or an alias such as P1 or critical")
                continue
            }
            severities.insert(severity)
        }
        let since = check.since(query)
        let page = check.page(query)
        // Every bad parameter at once (SPEC §4), not only the first one found.
        guard check.isValid, let page else { throw check.error }
        let filter = IncidentListFilter(
            statuses: statuses, severities: severities, services: query.listValues("service"), since: since)
        let result = try IncidentRepository(context.connection).list(
            filter, limit: page.limit, cursor: page.cursor)
        let policy = context.environment.settings.slaPolicy
        // The dashboards' poll: an unchanged page is served from memory (ADR 0003).
        context.allowCaching(
            until: IncidentSLADTO.firstChange(result.items, now: context.now, policy: policy))
        // An escalation's next step changes the page without a request (the worker's pass drops
        // this process's answers; another process's must not outlive the step either).
        context.allowCaching(until: result.items.lazy.compactMap { $0.escalation?.nextStepAt }.min())
        // The dashboards' poll: printed by the byte writer (JSONShapeWriter).
        return try APIJSON.response(
            ListPage(
                items: result.items.map { IncidentDTO($0, now: context.now, policy: policy) },
                nextCursor: result.nextCursor))
    }

    /// `GET /incidents/{id}` (`42` or `INC-42`): the incident with its alerts, SLA state and
    /// latest status update.
    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        let text = try context.pathParameter("id")
        guard let detail = try IncidentRepository(context.connection).detail(id: try incidentID(text)) else {
            throw DomainError.notFound(.incident, text)
        }
        let policy = context.environment.settings.slaPolicy
        context.allowCaching(
            until: IncidentSLADTO.changesAt(detail.incident, now: context.now, policy: policy))
        context.allowCaching(until: detail.incident.escalation?.nextStepAt)
        return try respond(detail, context)
    }

    /// The id in `42` or `INC-42` (SPEC §4); 404 for anything else, including `ALR-42`.
    static func incidentID(_ text: String) throws -> Int64 {
        do {
            return try EntityRef.parse(text, expecting: .incident).id
        } catch {
            throw DomainError.notFound(.incident, text)
        }
    }

    /// The incident id of the `{id}` path parameter.
    static func pathID(_ context: RequestContext) throws -> Int64 {
        try incidentID(try context.pathParameter("id"))
    }

    /// An incident with its detail as the JSON answer.
    static func respond(
        _ detail: IncidentDetail, _ context: RequestContext, status: Int = 200,
        headers: HTTPHeaders = HTTPHeaders()
    ) throws -> HTTPResponse {
        try APIJSON.response(
            IncidentDTO(detail, now: context.now, policy: context.environment.settings.slaPolicy),
            status: status,
            headers: headers)
    }

    /// The decoded body, or nil when the request has none (`curl -X POST .../acknowledge`).
    static func optionalBody<Body: Decodable>(_ type: Body.Type, _ context: RequestContext) throws -> Body? {
        guard !context.request.body.isEmpty else { return nil }
        return try context.request.decodeBody(type)
    }
}
