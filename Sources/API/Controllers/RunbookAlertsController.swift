import Domain
import Foundation
import HTTPServer
import Repositories

/// The seed runbooks' alert API (seed 001, issue 5): `POST /alerts/trigger`,
/// `POST /alerts/acknowledge`, `POST /alerts/resolve`, called exactly as the runbooks' curl
/// lines do, with `Authorization: Bearer` (a responder key or a routing key).
///
/// - `type` is the severity: `critical|error|warning|info`, the sender labels Alertmanager
///   uses (`high`, `page`, ...), or an incident level (`P1`/`SEV1` → critical, `P2` → error,
///   `P3` → warning, `P4` → info); absent → warning.
/// - `title` is the summary (`message` when there is no title); `message` and `type` are kept in
///   details.
/// - The service is the routing key's; with an API key, `service` from the body, else the
///   service `runbook` (created on first use).
enum RunbookAlertsController {
    /// The service of runbook alerts sent with an API key that names none.
    static let defaultService = "runbook"

    @Sendable static func trigger(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(AlertRunbookBodies.Trigger.self)
        let target = try AlertIngestion.target(
            requested: body.service, defaultService: defaultService, principal: context.principal,
            route: context.request.routePattern)
        var issues: [FieldIssue] = []
        let severity = Self.severity(type: body.type)
        if severity == nil {
            issues.append(
                FieldIssue(
                    field: "type", message: "must be a severity (critical, error, warning, info) or P1-P4"))
        }
        var details: [String: JSONValue] = [:]
        details["message"] = body.message.map(JSONValue.string)
        details["type"] = body.type.map(JSONValue.string)
        var alert: NewAlert?
        do {
            alert = try NewAlert.validate(
                service: target.serviceName, source: Validator.trimmed(body.source) ?? "runbook",
                summary: Validator.trimmed(body.title) ?? body.message,
                severity: (severity ?? .default).rawValue,
                dedupKey: nil, details: .object(details), links: nil)
        } catch {
            issues += error.issues.map { FieldIssue(field: runbookField($0.field), message: $0.message) }
        }
        guard issues.isEmpty, let alert else { throw ValidationError(issues) }
        // As the native route: a named service is looked up inside the trigger statement.
        let result = try AlertIngestion.triggerCounted(alert, target: target, context: context)
        var headers = HTTPHeaders()
        if result.isNew { headers.set(name: "Location", value: "/api/v1/alerts/\(result.record.id)") }
        return try APIJSON.response(
            AlertRunbookBodies.Answer(result.record, deduplicated: !result.isNew),
            status: result.isNew ? 201 : 200,
            headers: headers)
    }

    @Sendable static func acknowledge(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(AlertRunbookBodies.Acknowledge.self)
        let action: ResponderAction
        do {
            action = try ResponderAction.acknowledge(by: body.userId?.text, note: body.note)
        } catch {
            throw runbookNames(error)
        }
        let record = try alert(body.alertId, context: context)
        let result = try AlertRepository(context.connection).acknowledge(
            id: record.id, actor: context.actor(action.by), note: action.text, now: context.now)
        context.changed(AlertIngestion.families(of: result.record))
        return try APIJSON.response(AlertRunbookBodies.Answer(result.record))
    }

    @Sendable static func resolve(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(AlertRunbookBodies.Resolve.self)
        let action: ResponderAction
        do {
            action = try ResponderAction.resolve(by: body.userId?.text, resolution: body.resolution)
        } catch {
            throw runbookNames(error)
        }
        let record = try alert(body.alertId, context: context)
        let result = try AlertRepository(context.connection).resolve(
            id: record.id, actor: context.actor(action.by), resolution: action.text, now: context.now)
        context.changed(AlertIngestion.families(of: result.record))
        return try APIJSON.response(AlertRunbookBodies.Answer(result.record))
    }

    /// The alert `alertId` names (`42`, `"42"`, `"ALR-42"`): 422 when missing or not an id,
    /// 404 when there is no such alert, 403 for another service's routing key.
    static func alert(_ alertID: AlertRunbookBodies.FlexibleID?, context: RequestContext) throws
        -> AlertRecord
    {
        guard let text = Validator.trimmed(alertID?.text) else {
            throw ValidationError(field: "alertId", message: "is required")
        }
        let id: Int64
        do {
            id = try EntityRef.parse(text, expecting: .alert).id
        } catch {
            throw ValidationError(field: "alertId", message: "must be an alert id such as 42 or ALR-42")
        }
        guard let record = try AlertRepository(context.connection).find(id: id) else {
            throw DomainError.notFound(.alert, text)
        }
        try AlertIngestion.checkAccess(to: record, context: context)
        return record
    }

    /// The severity a runbook `type` means; nil when it means none. Absent → warning.
    static func severity(type: String?) -> AlertSeverity? {
        guard let text = Validator.trimmed(type) else { return .default }
        if let severity = AlertSeverity(parsing: text) ?? AlertSeverity.labelAliases[text.lowercased()] {
            return severity
        }
        switch IncidentSeverity(parsing: text) {
        case .sev1?: return .critical
        case .sev2?: return .error
        case .sev3?: return .warning
        case .sev4?: return .info
        case nil: return nil
        }
    }

    /// A responder-action validation error with `by` renamed to the runbooks' `userId`.
    static func runbookNames(_ error: ValidationError) -> ValidationError {
        ValidationError(
            error.issues.map {
                FieldIssue(field: $0.field == "by" ? "userId" : $0.field, message: $0.message)
            })
    }

    /// The runbook's name for a field `NewAlert` validation named.
    static func runbookField(_ field: String) -> String {
        switch field {
        case "summary": "title"
        case "details": "message"
        default: field
        }
    }
}
