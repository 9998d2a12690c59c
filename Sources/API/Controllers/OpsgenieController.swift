import Domain
import Foundation
import HTTPServer
import Repositories

/// Opsgenie's Alert API v2 (SPEC §12, §14): `POST /v2/alerts` here; acknowledge, close and
/// notes in OpsgenieController+Actions; request status and heartbeat pings in
/// OpsgenieController+Requests.
///
/// Opsgenie processes alert calls later and answers 202 at once; incidentd does the work inside
/// the request's transaction and stores its outcome beside it (``OpsgenieRequestRepository``), so
/// the 202 means "done" and `GET /v2/alerts/requests/{requestId}` answers from any process.
/// Errors come back at once (in Opsgenie's error shape, ``OpsgenieErrorMiddleware``) instead of
/// as a failed request status: a misspelled alias shows where it was sent.
enum OpsgenieController {
    /// Creates an alert, or adds to the open one with the same alias (the dedup key): `message`
    /// → summary, `priority` → severity (P1 critical, P2 error, P3 warning, P4/P5 info), the
    /// rest kept in details (``OpsgenieAlertPayload``). A routing key sends to its service; an
    /// API key to the service `opsgenie`. A critical alert opens an incident as any alert does.
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let payload = try OpsgenieAlertPayload.parse(try bodyObject(context, required: true))
        let target = try AlertIngestion.target(
            requested: nil, defaultService: OpsgenieAPI.defaultService, principal: context.principal,
            route: context.request.routePattern)
        let alert = try payload.newAlert(
            service: target.serviceName, callerAddress: ClientAddress.of(context.request))
        let note = try payload.note.flatMap { try Validator.trimmed($0).map { try checkedNote($0, context) } }
        let result = try AlertIngestion.triggerCounted(alert, target: target, context: context)
        if let note {
            try TimelineRepository(context.connection).append(
                .note(note, actor: context.actor(payload.user)),
                to: .alert(result.record.id, serviceID: result.record.serviceID), now: context.now)
        }
        return try accepted(
            context, action: "Create",
            status: result.isNew ? "Created alert" : "Alert already exists; its count was increased",
            alert: result.record)
    }

    /// Stores the outcome of an alert call and answers Opsgenie's 202 naming it.
    static func accepted(_ context: RequestContext, action: String, status: String, alert: AlertRecord) throws
        -> HTTPResponse
    {
        let requestID = OpsgenieResponses.newRequestID()
        try OpsgenieRequestRepository(context.connection).record(
            OpsgenieRequestRecord(
                requestID: requestID, action: action, processedAt: context.now,
                integrationID: integrationID(context.principal), isSuccess: true, status: status,
                alertID: alert.id, alias: alert.dedupKey, serviceID: callerServiceID(context.principal)))
        return try OpsgenieResponses.accepted(requestID: requestID, took: took(context))
    }

    /// The JSON object of the body; with `required` false an empty body is an empty object
    /// (Opsgenie's acknowledge and close take an optional body).
    static func bodyObject(_ context: RequestContext, required: Bool) throws -> [String: JSONValue] {
        if !required && context.request.body.isEmpty { return [:] }
        guard let object = try context.request.decodeBody(JSONValue.self).objectValue else {
            throw ProblemDetails(status: 400, detail: "The request body must be a JSON object.")
        }
        return object
    }

    /// A note as a timeline note; bad input names `note`.
    static func checkedNote(_ text: String, _ context: RequestContext) throws -> TimelineNote {
        do {
            return try TimelineNote.validate(body: text, occurredAt: nil, now: context.now)
        } catch {
            throw ValidationError(error.issues.map { FieldIssue(field: "note", message: $0.message) })
        }
    }

    /// Opsgenie's `integrationId`: the routing key's integration, or the API key.
    static func integrationID(_ principal: Principal) -> String {
        switch principal {
        case .routingKey(let id, _, _, _, _): String(id)
        case .apiKey(let id, _, _): "api-key-\(id)"
        case .anonymous: "anonymous"
        }
    }

    /// The service a routing key is bound to; nil for an API key (which sees every service).
    static func callerServiceID(_ principal: Principal) -> Int64? {
        if case .routingKey(_, let serviceID, _, _, _) = principal { return serviceID }
        return nil
    }

    /// Opsgenie's `took`: seconds since the request's clock reading.
    static func took(_ context: RequestContext) -> Double {
        OpsgenieResponses.took(from: context.now, to: context.environment.clock())
    }
}
