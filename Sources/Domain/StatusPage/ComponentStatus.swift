/// A status page component's status, with Atlassian Statuspage's names (SPEC §13). Ordered
/// from best to worst: a component shows the worst of what applies to it.
public enum ComponentStatus: String, Sendable, CaseIterable, Codable, Comparable {
    case operational
    case underMaintenance = "under_maintenance"
    case degradedPerformance = "degraded_performance"
    case partialOutage = "partial_outage"
    case majorOutage = "major_outage"

    /// Position from best (0) to worst.
    var rank: Int {
        switch self {
        case .operational: 0
        case .underMaintenance: 1
        case .degradedPerformance: 2
        case .partialOutage: 3
        case .majorOutage: 4
        }
    }

    public static func < (lhs: ComponentStatus, rhs: ComponentStatus) -> Bool { lhs.rank < rhs.rank }

    /// What an open public incident of `severity` makes its services' components (SPEC §13).
    public init(incidentSeverity severity: IncidentSeverity) {
        switch severity {
        case .sev1: self = .majorOutage
        case .sev2: self = .partialOutage
        case .sev3, .sev4: self = .degradedPerformance
        }
    }

    /// The share of a second in this status that counts as down for uptime (Atlassian's rule,
    /// SPEC §14): a major outage fully, a partial one 0.3, the rest not at all.
    public var downWeight: Double {
        switch self {
        case .majorOutage: 1
        case .partialOutage: 0.3
        default: 0
        }
    }

    /// Words for people (the HTML page shows text, not only colour).
    public var label: String {
        switch self {
        case .operational: "Operational"
        case .underMaintenance: "Under maintenance"
        case .degradedPerformance: "Degraded performance"
        case .partialOutage: "Partial outage"
        case .majorOutage: "Major outage"
        }
    }

    /// Statuspage's page `status.indicator` when this is the worst component.
    public var indicator: String {
        switch self {
        case .operational, .underMaintenance: "none"
        case .degradedPerformance: "minor"
        case .partialOutage: "major"
        case .majorOutage: "critical"
        }
    }

    /// Statuspage's page `status.description` when this is the worst component.
    public var pageDescription: String {
        switch self {
        case .operational: "All Systems Operational"
        case .underMaintenance: "Service Under Maintenance"
        case .degradedPerformance: "Minor Service Outage"
        case .partialOutage: "Partial System Outage"
        case .majorOutage: "Major System Outage"
        }
    }
}
