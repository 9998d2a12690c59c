import Crypto
import Domain
import Foundation
import HTTPServer
import Repositories

/// PagerDuty Events API v2: `POST /v2/enqueue` and `POST /v2/change/enqueue` (issue 5), with
/// the sender's JSON unchanged. The routing key is in the body (no Authorization header), so
/// this controller authenticates it itself and sets the request's principal.
enum PagerDutyController {
    /// PagerDuty's own payload limit ("Events API payloads are limited to 512 KB").
    static let maxBodyBytes = 512 * 1024  // 400 beyond

    /// `trigger` opens or deduplicates an alert; `acknowledge` and `resolve` act on the open
    /// alert with the dedup key. All answer 202 with the dedup key, also when nothing was open
    /// (PagerDuty drops such events and still answers 202).
    @Sendable static func enqueue(_ context: RequestContext) throws -> HTTPResponse {
        let object: [String: JSONValue]
        switch readEvent(context) {
        case .success(let value): object = value
        case .failure(let invalid): return try PagerDutyResponses.invalid(invalid.errors)
        }
        var errors: [String] = []
        guard let routingKey = PagerDutyEvent.routingKey(of: object, errors: &errors) else {
            return try PagerDutyResponses.invalid(errors)
        }
        if let refusal = try authenticate(routingKey, context) { return refusal }
        guard let event = PagerDutyEvent.parse(object, errors: &errors) else {
            return try PagerDutyResponses.invalid(errors)
        }
        guard case .routingKey(_, let serviceID, _, _, _) = context.principal else {
            throw ProblemDetails(status: 500, detail: "The routing key was not recorded.")
        }
        let actor = context.principal.actorName
        let repository = AlertRepository(context.connection)
        switch event.action {
        case .trigger:
            return try trigger(event, context: context)
        case .acknowledge:
            let dedupKey = event.dedupKey ?? ""
            let result = try repository.acknowledgeOpen(
                serviceID: serviceID, dedupKey: dedupKey, actor: actor, note: nil, now: context.now)
            if let result { context.changed(AlertIngestion.families(of: result.record)) }
            return try PagerDutyResponses.accepted(dedupKey: dedupKey)
        case .resolve:
            let dedupKey = event.dedupKey ?? ""
            let result = try repository.resolveOpen(
                serviceID: serviceID, dedupKey: dedupKey, actor: actor, resolution: nil, now: context.now)
            if let result { context.changed(AlertIngestion.families(of: result.record)) }
            return try PagerDutyResponses.accepted(dedupKey: dedupKey)
        }
    }

    /// A trigger. Without a dedup key PagerDuty makes a random one ("a trigger event sent
    /// without a dedup_key will always generate a new alert"), and so do we.
    static func trigger(_ event: PagerDutyEvent, context: RequestContext) throws -> HTTPResponse {
        let target = try AlertIngestion.target(
            requested: nil, principal: context.principal, route: context.request.routePattern)
        let alert: NewAlert
        do {
            alert = try NewAlert.validate(
                service: target.serviceName, source: event.source, summary: event.summary,
                severity: event.severity,
                dedupKey: event.dedupKey ?? Crypto.hex(Crypto.randomBytes(16)),
                details: .object(event.details),
                links: event.links)
        } catch {
            return try PagerDutyResponses.invalid(
                error.issues.map { "'\(pagerDutyField($0.field))' \($0.message)" })
        }
        // As the native route: a named service is looked up inside the trigger statement.
        let result = try AlertIngestion.triggerCounted(alert, target: target, context: context)
        return try PagerDutyResponses.accepted(dedupKey: result.record.dedupKey)
    }

    /// Checks the body's routing key and makes it the request's principal. Returns the answer
    /// to send instead when it is refused: PagerDuty's 400 for an unknown or revoked key (its
    /// clients treat that as final), 429 instead while the address is over its failure budget
    /// (SPEC §5). A valid key is never refused for its address's failures (issue 20).
    static func authenticate(_ routingKey: String, _ context: RequestContext) throws -> HTTPResponse? {
        let address = ClientAddress.of(context.request)
        let limiter = context.environment.authFailures
        do {
            context.principal = try Authenticator.routingKey(routingKey, connection: context.connection)
        } catch let failure as Authenticator.Failure {
            if let retryAfter = limiter.retryAfter(address: address, now: context.now) {
                try AuditRepository(context.connection).record(
                    RequestAudit.entry(context.request, principal: .anonymous, status: 429, now: context.now))
                return try PagerDutyResponses.throttled(retryAfter: retryAfter)
            }
            limiter.recordFailure(address: address, now: context.now)
            // Written in this request's transaction, which commits the 400 (no business work).
            try AuditRepository(context.connection).record(
                RequestAudit.entry(context.request, principal: .anonymous, status: 400, now: context.now))
            return try PagerDutyResponses.invalid([
                failure == .revoked ? "Routing key has been revoked" : "Invalid routing key"
            ])
        }
        // A valid key of another kind of integration: a misconfigured sender, told so in
        // PagerDuty's shape (its clients treat 400 as final); not an authentication failure.
        if let mismatch = AlertIngestion.integrationKindMismatch(
            of: context.principal, route: context.request.routePattern)
        {
            return try PagerDutyResponses.invalid([mismatch])
        }
        return nil
    }

    /// Why a body is not an event: PagerDuty's error strings.
    struct InvalidEvent: Error {
        let errors: [String]
    }

    /// The body as a JSON object, within PagerDuty's size limit.
    static func readEvent(_ context: RequestContext) -> Result<[String: JSONValue], InvalidEvent> {
        let body = context.request.body
        guard body.count <= maxBodyBytes else {
            return .failure(InvalidEvent(errors: ["Event object is too large (at most 512 KB)"]))
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else {
            // Not I/O: a parse failure is the answer itself, and its details would only echo input.
            return .failure(InvalidEvent(errors: ["Event object is not valid JSON"]))
        }
        // Text PostgreSQL cannot store, refused in PagerDuty's words, naming each field.
        let unstorable = UnstorableText.nulFields(inJSON: body)
        guard unstorable.isEmpty else {
            return .failure(InvalidEvent(errors: unstorable.map { "'\($0.field)' \($0.message)" }))
        }
        guard let object = value.objectValue else {
            return .failure(InvalidEvent(errors: ["Event object must be a JSON object"]))
        }
        return .success(object)
    }

    /// PagerDuty's name for a field `NewAlert` validation named.
    static func pagerDutyField(_ field: String) -> String {
        switch field {
        case "summary", "source", "severity": "payload.\(field)"
        case "details": "payload.custom_details"
        default: field
        }
    }
}
