import Domain
import Foundation

/// A PagerDuty Events API v2 event (`POST /v2/enqueue`), read from the sender's JSON as it is.
///
/// Read by hand from a ``JSONValue`` rather than decoded, so that every problem becomes one of
/// PagerDuty's own error strings (`'payload.summary' is missing or blank`) in a 400
/// `invalid event` answer, never a problem+json the senders do not expect.
struct PagerDutyEvent: Sendable {
    /// `event_action`.
    enum Action: String, Sendable {
        case trigger, acknowledge, resolve
    }

    let routingKey: String
    let action: Action
    /// Required for acknowledge and resolve; optional for trigger.
    let dedupKey: String?
    let summary: String?
    let source: String?
    let severity: String?
    /// PD-CEF fields and `custom_details`, kept as the alert's details.
    let details: [String: JSONValue]
    /// `links[]` with http(s) hrefs; PagerDuty accepts others, we keep only web links (Alert).
    let links: [AlertLink]

    /// PagerDuty's own limits (Events API v2 docs): 1024 for summary, 255 for dedup_key.
    static let maxSummaryLength = 1024
    static let maxDedupKeyLength = 255
    static let routingKeyLength = 32

    /// The routing key of `object`, or PagerDuty's error for it.
    static func routingKey(of object: [String: JSONValue], errors: inout [String]) -> String? {
        guard let key = PagerDutyFields.string(object, "routing_key", errors: &errors) else {
            errors.append("'routing_key' is missing or blank")
            return nil
        }
        guard key.utf8.count == routingKeyLength else {
            errors.append("Length of 'routing_key' is incorrect (should be \(routingKeyLength) characters)")
            return nil
        }
        return key
    }

    /// Reads an event; nil with `errors` filled when it is invalid.
    static func parse(_ object: [String: JSONValue], errors: inout [String]) -> PagerDutyEvent? {
        let routingKey = routingKey(of: object, errors: &errors)
        let actionText = PagerDutyFields.string(object, "event_action", errors: &errors)
        let action = actionText.flatMap { Action(rawValue: $0) }
        if actionText == nil {
            errors.append("'event_action' is missing or blank")
        } else if action == nil {
            errors.append("'event_action' must be one of trigger, acknowledge, resolve")
        }
        let dedupKey = PagerDutyFields.string(object, "dedup_key", errors: &errors)
        if let dedupKey, dedupKey.count > maxDedupKeyLength {
            errors.append("Length of 'dedup_key' is incorrect (at most \(maxDedupKeyLength) characters)")
        }
        if action == .acknowledge || action == .resolve, dedupKey == nil {
            errors.append("'dedup_key' is missing or blank")
        }
        // Only a trigger carries a payload; acknowledge and resolve ignore one.
        let payload = action == .trigger ? triggerPayload(object, errors: &errors) : nil
        guard errors.isEmpty, let routingKey, let action else { return nil }
        return PagerDutyEvent(
            routingKey: routingKey, action: action, dedupKey: dedupKey, summary: payload?.summary,
            source: payload?.source, severity: payload?.severity,
            details: details(object, payload: payload?.fields ?? [:]),
            links: PagerDutyFields.links(object["links"]))
    }

    /// The fields a trigger's `payload` must have: summary, source and severity.
    struct TriggerPayload {
        let summary: String
        let source: String
        let severity: String
        let fields: [String: JSONValue]
    }

    /// Reads and checks a trigger's `payload`; nil with `errors` filled when it is invalid.
    static func triggerPayload(_ object: [String: JSONValue], errors: inout [String]) -> TriggerPayload? {
        guard let fields = object["payload"]?.objectValue else {
            errors.append("'payload' is missing or not an object")
            return nil
        }
        let before = errors.count
        let summary = PagerDutyFields.string(fields, "summary", in: "payload", errors: &errors)
        let source = PagerDutyFields.string(fields, "source", in: "payload", errors: &errors)
        let severity = PagerDutyFields.string(fields, "severity", in: "payload", errors: &errors)
        if summary == nil { errors.append("'payload.summary' is missing or blank") }
        if source == nil { errors.append("'payload.source' is missing or blank") }
        if severity == nil { errors.append("'payload.severity' is missing or blank") }
        if let summary, summary.count > maxSummaryLength {
            errors.append("Length of 'payload.summary' is incorrect (at most \(maxSummaryLength) characters)")
        }
        if let severity, AlertSeverity(rawValue: severity) == nil {
            errors.append("'payload.severity' must be one of critical, error, warning, info")
        }
        guard errors.count == before, let summary, let source, let severity else { return nil }
        return TriggerPayload(summary: summary, source: source, severity: severity, fields: fields)
    }

    /// `payload.custom_details` and the other PD-CEF fields, under their PagerDuty names.
    private static func details(_ object: [String: JSONValue], payload: [String: JSONValue]) -> [String:
        JSONValue]
    {
        var details: [String: JSONValue] = [:]
        for key in ["custom_details", "component", "group", "class", "timestamp"] {
            if let value = payload[key], value != .null { details[key] = value }
        }
        for key in ["images", "client", "client_url"] {
            if let value = object[key], value != .null { details[key] = value }
        }
        return details
    }
}

/// Field readers shared by the PagerDuty event shapes.
enum PagerDutyFields {
    /// A string field, trimmed; nil when absent, null or blank. A non-string value is an error.
    static func string(
        _ object: [String: JSONValue], _ key: String, in parent: String? = nil, errors: inout [String]
    ) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard let text = value.stringValue else {
            errors.append("'\(parent.map { "\($0)." } ?? "")\(key)' must be a string")
            return nil
        }
        return Validator.trimmed(text)
    }

    /// The http(s) links of a `links` array (at most `Alert.maxLinks`); others are left out.
    static func links(_ value: JSONValue?) -> [AlertLink] {
        guard case .array(let items) = value else { return [] }
        let links = items.compactMap { item -> AlertLink? in
            guard let object = item.objectValue, let href = object["href"]?.stringValue,
                href.count <= AlertLink.maxHrefLength,
                let scheme = URLComponents(string: href)?.scheme?.lowercased(),
                scheme == "http" || scheme == "https"
            else { return nil }
            let text = object["text"]?.stringValue.map { String($0.prefix(AlertLink.maxTextLength)) }
            return AlertLink(href: href, text: text)
        }
        return Array(links.prefix(Alert.maxLinks))
    }

    /// PagerDuty timestamps are ISO 8601, often with a `+0000` offset (its own examples):
    /// accepted beside RFC 3339. Nil when unreadable.
    static func timestamp(_ text: String?) -> Date? {
        guard var text = Validator.trimmed(text) else { return nil }
        // `+0000` → `+00:00`.
        let scalars = Array(text.unicodeScalars)
        if scalars.count > 5, scalars[scalars.count - 5] == "+" || scalars[scalars.count - 5] == "-",
            scalars.suffix(4).allSatisfy({ ("0"..."9").contains($0) })
        {
            text.insert(":", at: text.index(text.endIndex, offsetBy: -2))
        }
        return RFC3339.parse(text)
    }
}
