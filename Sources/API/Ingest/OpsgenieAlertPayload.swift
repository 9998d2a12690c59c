import Crypto
import Domain
import Foundation

/// The body of Opsgenie's `POST /v2/alerts` (SPEC §12): `{message, alias, description, priority,
/// source, tags, details, entity, user, note}` (also `responders`, `visibleTo`, `actions`,
/// which mean nothing here and are ignored). Read leniently as JSON, so a wrong type names its
/// field instead of failing the whole body.
struct OpsgenieAlertPayload {
    /// Opsgenie's own limits, kept where ours are not tighter.
    static let maxDescriptionLength = 15_000
    static let maxEntityLength = 512
    static let maxTags = 20
    static let maxTagLength = 50
    static let maxUserLength = 100

    let message: String?
    let alias: String?
    let description: String?
    /// `P1`...`P5` as sent, upper-cased; nil when absent.
    let priority: String?
    let source: String?
    let tags: [String]
    let details: [String: JSONValue]
    let entity: String?
    let user: String?
    let note: String?

    /// Reads the fields of `object`; every field of the wrong type or beyond its limit is named.
    static func parse(_ object: [String: JSONValue]) throws(ValidationError) -> OpsgenieAlertPayload {
        var check = Validator()
        let fields = OpsgenieFields(object)
        let message = fields.string("message", into: &check)
        let priority = fields.string("priority", into: &check).map { $0.uppercased() }
        if let priority, OpsgenieAPI.severity(priority: priority) == nil {
            check.add("priority", "must be one of \(OpsgenieAPI.priorities.joined(separator: ", "))")
        }
        let description = check.optional(
            "description", fields.string("description", into: &check), maxLength: maxDescriptionLength)
        let entity = check.optional(
            "entity", fields.string("entity", into: &check), maxLength: maxEntityLength)
        let user = check.optional(
            "user", fields.string("user", into: &check), maxLength: maxUserLength, singleLine: true)
        let note = fields.string("note", into: &check)
        let tags = fields.strings("tags", into: &check)
        if tags.count > maxTags || tags.contains(where: { $0.count > maxTagLength }) {
            check.add("tags", "must have at most \(maxTags) tags of at most \(maxTagLength) characters")
        }
        let details = fields.object("details", into: &check)
        let payload = OpsgenieAlertPayload(
            message: message, alias: fields.string("alias", into: &check), description: description,
            priority: priority, source: fields.string("source", into: &check), tags: tags, details: details,
            entity: entity, user: user, note: note)
        try check.finish()
        return payload
    }

    /// The alert to trigger on `service`. Without an alias each create is a new alert (Opsgenie:
    /// the alias is the dedup key), so a random one is made; without a source, the caller's
    /// address (Opsgenie's default).
    func newAlert(service: String?, callerAddress: String) throws(ValidationError) -> NewAlert {
        let severity = OpsgenieAPI.severity(priority: priority ?? OpsgenieAPI.defaultPriority) ?? .warning
        do {
            return try NewAlert.validate(
                service: service, source: Validator.trimmed(source) ?? callerAddress, summary: message,
                severity: severity.rawValue,
                dedupKey: Validator.trimmed(alias) ?? Crypto.hex(Crypto.randomBytes(16)),
                details: .object(storedDetails), links: nil)
        } catch {
            throw ValidationError(
                error.issues.map { FieldIssue(field: Self.opsgenieField($0.field), message: $0.message) })
        }
    }

    /// What the alert's `details` keep: Opsgenie's fields under their own names, the sender's
    /// custom `details` under `details` (so no custom key can shadow one of Opsgenie's).
    var storedDetails: [String: JSONValue] {
        var stored: [String: JSONValue] = ["priority": .string(priority ?? OpsgenieAPI.defaultPriority)]
        stored["description"] = description.map(JSONValue.string)
        stored["entity"] = entity.map(JSONValue.string)
        stored["user"] = user.map(JSONValue.string)
        if !tags.isEmpty { stored["tags"] = .array(tags.map(JSONValue.string)) }
        if !details.isEmpty { stored["details"] = .object(details) }
        return stored
    }

    /// Opsgenie's name for a field `NewAlert` validation named.
    static func opsgenieField(_ field: String) -> String {
        switch field {
        case "summary": "message"
        case "dedup_key": "alias"
        case "severity": "priority"
        default: field
        }
    }
}
