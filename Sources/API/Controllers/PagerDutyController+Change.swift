import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST /v2/change/enqueue`: change events (deploy markers) are context, not problems. They
/// are stored on the service's timeline as `change_event` entries and never open an alert.
extension PagerDutyController {
    @Sendable static func enqueueChange(_ context: RequestContext) throws -> HTTPResponse {
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
        guard case .routingKey(_, let serviceID, _, _, _) = context.principal else {
            throw ProblemDetails(status: 500, detail: "The routing key was not recorded.")
        }
        guard let entry = changeEntry(object, context: context, errors: &errors) else {
            return try PagerDutyResponses.invalid(errors)
        }
        let stored = try TimelineRepository(context.connection).append(
            entry, to: .service(serviceID), now: context.now)
        return try PagerDutyResponses.changeAccepted(id: stored.id)
    }

    /// The timeline entry for a change event: body = `payload.summary` (required, ≤ 1024),
    /// `data` = source, timestamp, custom_details and links; it happened at `payload.timestamp`
    /// when readable and not in the future, else now.
    static func changeEntry(_ object: [String: JSONValue], context: RequestContext, errors: inout [String])
        -> NewTimelineEntry?
    {
        guard let payload = object["payload"]?.objectValue else {
            errors.append("'payload' is missing or not an object")
            return nil
        }
        let summary = PagerDutyFields.string(payload, "summary", in: "payload", errors: &errors)
        let source = PagerDutyFields.string(payload, "source", in: "payload", errors: &errors)
        let timestampText = PagerDutyFields.string(payload, "timestamp", in: "payload", errors: &errors)
        if let summary {
            if let problem = Validator.textProblem(
                summary, maxLength: PagerDutyEvent.maxSummaryLength, singleLine: false)
            {
                errors.append("'payload.summary' \(problem)")
            }
        } else {
            errors.append("'payload.summary' is missing or blank")
        }
        guard errors.isEmpty, let summary else { return nil }
        let data = changeData(object, payload: payload, source: source, timestamp: timestampText)
        // jsonb cannot hold U+0000 (SQLSTATE 22P05): refuse it as PagerDuty refuses bad input.
        guard !JSONValue.object(data).containsNUL else {
            errors.append("'payload' must not contain NUL characters")
            return nil
        }
        let occurredAt = PagerDutyFields.timestamp(timestampText).map { min($0, context.now) }
        return NewTimelineEntry(
            kind: .changeEvent, actor: context.principal.actorName, body: summary, data: data,
            occurredAt: occurredAt)
    }

    /// A change event's facts for the entry's `data`: source, timestamp, custom_details, links.
    static func changeData(
        _ object: [String: JSONValue], payload: [String: JSONValue], source: String?, timestamp: String?
    ) -> [String: JSONValue] {
        var data: [String: JSONValue] = [:]
        data["source"] = source.map(JSONValue.string)
        data["timestamp"] = timestamp.map(JSONValue.string)
        if let details = payload["custom_details"], details != .null { data["custom_details"] = details }
        let links = PagerDutyFields.links(object["links"])
        if !links.isEmpty {
            data["links"] = .array(
                links.map {
                    .object(["href": .string($0.href), "text": $0.text.map(JSONValue.string) ?? .null])
                })
        }
        return data
    }
}
