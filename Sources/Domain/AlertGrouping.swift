import Foundation

/// SPEC §3 grouping: a `critical` alert opens an incident (the service's configured severity,
/// default SEV2) unless its service already has an open incident, which it joins.
public enum AlertGrouping {
    /// What to do with a newly triggered alert.
    public enum Decision: Sendable, Hashable {
        /// Not critical and no open incident to join: the alert stays on its own.
        case none
        /// Attach the alert to this open incident of its service.
        case join(incidentID: Int64)
        /// Open a new incident with this title and severity, and attach the alert.
        case open(title: String, severity: IncidentSeverity)
    }

    /// Decides grouping for an alert of `severity` on `service`; `openIncidentID` is the
    /// service's open incident, if any (the repository reads it under lock).
    ///
    /// Only critical alerts are grouped: lesser alerts stay on their own so noise never lands
    /// on an incident's timeline; they can be attached by hand (`POST /incidents/{id}/alerts`).
    public static func decide(
        severity: AlertSeverity, summary: String, service: Service, openIncidentID: Int64?
    ) -> Decision {
        guard severity.opensIncident else { return .none }
        if let openIncidentID { return .join(incidentID: openIncidentID) }
        return .open(
            title: incidentTitle(fromSummary: summary), severity: service.criticalAlertIncidentSeverity)
    }

    /// An incident title from an alert summary: its first non-empty line, whitespace collapsed,
    /// cut to ``Incident/maxTitleLength`` characters (ending in "…" when cut).
    public static func incidentTitle(fromSummary summary: String) -> String {
        let firstLine =
            summary.split(whereSeparator: \.isNewline)
            .first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        let words = firstLine.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        // Control characters are not allowed in titles (Validator, single line).
        let clean = String(
            String.UnicodeScalarView(words.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        guard !clean.isEmpty else { return "Critical alert" }
        let limit = Incident.maxTitleLength
        guard clean.unicodeScalars.count > limit else { return clean }
        return String(String.UnicodeScalarView(clean.unicodeScalars.prefix(limit - 1))) + "…"
    }
}
