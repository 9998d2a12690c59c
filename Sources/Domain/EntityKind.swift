/// The kinds of things the API names by id, for refs and "not found" errors.
public enum EntityKind: String, Sendable, CaseIterable, Codable {
    case alert
    case incident
    case service
    case integration
    case postMortem = "postmortem"
    case actionItem = "action_item"
    case apiKey = "api_key"
    case timelineEntry = "timeline_entry"
    case user
    case contactMethod = "contact_method"
    case schedule
    case scheduleOverride = "schedule_override"
    case event
    case channel
    case delivery
    case escalationPolicy = "escalation_policy"
    case escalation
    case heartbeat
    case statusComponent = "status_component"
    case maintenanceWindow = "maintenance_window"

    /// The ref prefix (`ALR`, `INC`) for kinds that have refs; nil for the rest, whose path ids
    /// are plain numbers.
    public var refPrefix: String? {
        switch self {
        case .alert: "ALR"
        case .incident: "INC"
        case .maintenanceWindow: "MW"
        default: nil
        }
    }

    /// A lowercase human name for messages: "alert", "post-mortem", "action item".
    public var displayName: String {
        switch self {
        case .alert: "alert"
        case .incident: "incident"
        case .service: "service"
        case .integration: "integration"
        case .postMortem: "post-mortem"
        case .actionItem: "action item"
        case .apiKey: "API key"
        case .timelineEntry: "timeline entry"
        case .user: "user"
        case .statusComponent: "status component"
        case .contactMethod: "contact method"
        case .schedule: "schedule"
        case .scheduleOverride: "override"
        case .event: "event"
        case .channel: "channel"
        case .delivery: "delivery"
        case .escalationPolicy: "escalation policy"
        case .escalation: "escalation"
        case .heartbeat: "heartbeat"
        case .maintenanceWindow: "maintenance window"
        }
    }

    /// The display name with its article: "an incident", "a service".
    public var indefiniteName: String {
        let startsWithVowel = displayName.first.map { "aeiouAEIOU".contains($0) } ?? false
        return (startsWithVowel ? "an " : "a ") + displayName
    }
}
