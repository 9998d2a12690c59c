import Domain

/// Opsgenie's Alert API v2 and Heartbeat ping, accepted unchanged (SPEC §12, §14; Opsgenie's own
/// API closes 2027-04-05). docs/OPSGENIE-MIGRATION.md maps every field.
///
/// - Credentials: `Authorization: GenieKey <key>` or `?apiKey=<key>`, a routing key (its
///   service's alerts and heartbeats) or an API key (``Authenticator``).
/// - Answers in Opsgenie's shapes (``OpsgenieResponses``), errors too
///   (``OpsgenieErrorMiddleware``).
enum OpsgenieAPI {
    /// The paths Opsgenie's clients call; `GenieKey` and `apiKey` are accepted there only.
    static let pathPrefixes = ["/v2/alerts", "/v2/heartbeats"]

    /// Whether `path` is one of Opsgenie's (the prefixes, whole segments only).
    static func covers(path: String) -> Bool {
        pathPrefixes.contains { prefix in
            path.hasPrefix(prefix)
                && (path.utf8.count == prefix.utf8.count || path.dropFirst(prefix.count).first == "/")
        }
    }

    /// Opsgenie priorities, `P1` (highest) to `P5`.
    static let priorities = ["P1", "P2", "P3", "P4", "P5"]
    /// Opsgenie's default priority when a create names none.
    static let defaultPriority = "P3"

    /// SPEC §14: P1 → critical, P2 → error, P3 → warning, P4/P5 → info. Case-insensitive; nil
    /// for anything else.
    static func severity(priority: String) -> AlertSeverity? {
        switch priority.uppercased() {
        case "P1": .critical
        case "P2": .error
        case "P3": .warning
        case "P4", "P5": .info
        default: nil
        }
    }

    /// The service of alerts created with an API key (a routing key sends to its own service):
    /// created on first use, like the runbook route's `runbook`.
    static let defaultService = "opsgenie"

    /// `identifierType` of acknowledge, close and notes (SPEC §14: `tiny` is the numeric id).
    enum IdentifierType: String, CaseIterable {
        case id, alias, tiny
    }
}
