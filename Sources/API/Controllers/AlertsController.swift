import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST|GET /api/v1/alerts`, `GET /api/v1/alerts/{id}` (issue 5, SPEC §4). Acknowledge,
/// resolve and the timeline are in `AlertsController+Actions.swift`.
enum AlertsController {
    /// SPEC §3: 201 with `Location` for a new alert, 200 with `"deduplicated": true` when the
    /// trigger was folded into the open alert with the same dedup key (also returned when the
    /// server derived it).
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let (alert, target) = try newAlert(context.request, principal: context.principal)
        return try create(alert, target: target, context)
    }

    /// The usual path for an alert already read and validated.
    static func create(_ alert: NewAlert, target: AlertIngestion.Target, _ context: RequestContext) throws
        -> HTTPResponse
    {
        let result = try AlertIngestion.triggerCounted(alert, target: target, context: context)
        return try triggerResponse(result)
    }

    /// The request's alert, validated, and where it goes: the body of `POST /alerts` read the same
    /// way on the usual path and the group-commit path.
    static func newAlert(_ request: HTTPRequest, principal: Principal) throws -> (
        NewAlert, AlertIngestion.Target
    ) {
        // The usual flat body is read by hand; anything else (and every error) by JSONDecoder.
        let body = try AlertTriggerBody.flat(request) ?? request.decodeBody(AlertTriggerBody.self)
        let target = try AlertIngestion.target(
            requested: body.service, principal: principal, route: request.routePattern)
        let alert = try NewAlert.validate(
            service: target.serviceName, source: body.source, summary: body.summary, severity: body.severity,
            dedupKey: body.dedupKey, details: body.details, links: body.links?.map(\.link))
        return (alert, target)
    }

    /// The answer to a trigger: 201 + Location for a new alert, 200 for a deduplicated one.
    /// Printed by the byte writer (the ingest hot path), `details`/`links` copied from the
    /// jsonb text PostgreSQL returned.
    static func triggerResponse(_ result: AlertTriggerResult) throws -> HTTPResponse {
        var headers = HTTPHeaders()
        let status = result.isNew ? 201 : 200
        if result.isNew { headers.set(name: "Location", value: "/api/v1/alerts/\(result.record.id)") }
        return try APIJSON.response(
            AlertDTO(result.record, deduplicated: !result.isNew), status: status, headers: headers)
    }

    /// `GET /alerts?status=&service=&severity=&since=&limit=&cursor=`, newest first. Filters
    /// take comma-separated values (`status=triggered,acknowledged`; `status=open` is both).
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let query = context.request.query
        var check = Validator()
        let statuses = query.listValues("status").flatMap { text -> [AlertStatus] in
            if text.lowercased() == "open" { return [.triggered, .acknowledged] }
            guard let status = AlertStatus(parsing: text) else {
                check.add("status", "must be open or one of: triggered, acknowledged, resolved")
                return []
            }
            return [status]
        }
        let severities = query.listValues("severity").compactMap { text -> AlertSeverity? in
            guard let severity = AlertSeverity(parsing: text) else {
                check.add("severity", "must be one of: critical, error, warning, info")
                return nil
            }
            return severity
        }
        let since = check.since(query)
        let page = check.page(query)
        // Every bad parameter at once (SPEC §4), not only the first one found.
        guard check.isValid, let page else { throw check.error }
        let filter = AlertListFilter(
            statuses: statuses, services: query.listValues("service"), severities: severities, since: since)
        let result = try AlertRepository(context.connection).list(
            filter, limit: page.limit, cursor: page.cursor)
        return try APIJSON.response(
            ListPage(items: result.items.map { AlertDTO($0) }, nextCursor: result.nextCursor))
    }

    /// `GET /alerts/{id}`: `42` or `ALR-42`.
    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        try APIJSON.response(AlertDTO(try find(context)))
    }

    /// The alert named by the `{id}` path parameter, or 404.
    static func find(_ context: RequestContext) throws -> AlertRecord {
        let text = try context.pathParameter("id")
        guard let record = try AlertRepository(context.connection).find(id: try alertID(text)) else {
            throw DomainError.notFound(.alert, text)
        }
        return record
    }

    /// The id in `42` or `ALR-42` (SPEC §4); 404 for anything else, including `INC-42`.
    static func alertID(_ text: String) throws -> Int64 {
        do {
            return try EntityRef.parse(text, expecting: .alert).id
        } catch {
            throw DomainError.notFound(.alert, text)
        }
    }
}
