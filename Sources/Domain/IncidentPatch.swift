import Foundation

/// A validated `PATCH /incidents/{id}` body. Nil fields are untouched; `summary`, `impact` and
/// `commander` can be cleared with an empty string (or JSON null mapped to "" by the API).
public struct IncidentPatch: Sendable, Hashable {
    public let title: String?
    public let severity: IncidentSeverity?
    public let summary: FieldUpdate<String>?
    public let impact: FieldUpdate<String>?
    public let commander: FieldUpdate<String>?

    /// True when the body changes nothing (`{}`): the API answers with the incident unchanged.
    public var isEmpty: Bool {
        title == nil && severity == nil && summary == nil && impact == nil && commander == nil
    }

    /// Validates a decoded patch. The title cannot be emptied; severity takes any alias.
    public static func validate(
        title: String?, severity: String?, summary: String?, impact: String?, commander: String?
    ) throws(ValidationError) -> IncidentPatch {
        var check = Validator()
        let title = check.update(
            "title", title, maxLength: Incident.maxTitleLength, singleLine: true, clearable: false)
        var parsedSeverity: IncidentSeverity?
        if severity != nil {
            parsedSeverity = check.oneOf("severity", severity, allowed: NewIncident.severityInputs) {
                IncidentSeverity(parsing: $0)
            }
        }
        let summary = check.update("summary", summary, maxLength: Incident.maxTextLength)
        let impact = check.update("impact", impact, maxLength: Incident.maxTextLength)
        let commander = check.update(
            "commander", commander, maxLength: Incident.maxCommanderLength, singleLine: true)
        try check.finish()
        return IncidentPatch(
            title: title?.newValue, severity: parsedSeverity, summary: summary, impact: impact,
            commander: commander)
    }
}
