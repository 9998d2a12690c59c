import Foundation

/// Where an incident's response stands (SPEC §3), in order:
/// `investigating → identified → monitoring → resolved`.
///
/// `Comparable` follows that order. ``IncidentTransition`` holds the rules for moving.
public enum IncidentStatus: String, Sendable, CaseIterable, Codable, Comparable {
    case investigating
    case identified
    case monitoring
    case resolved

    /// Parses a status, ignoring case and surrounding whitespace. Returns nil for anything else.
    public init?(parsing text: String) {
        let key = text.trimmingWhitespaceAndNewlines().lowercased()
        guard let value = IncidentStatus(rawValue: key) else { return nil }
        self = value
    }

    /// Position in the status order, 0 for `investigating`.
    public var order: Int {
        switch self {
        case .investigating: 0
        case .identified: 1
        case .monitoring: 2
        case .resolved: 3
        }
    }

    /// Open means not resolved (`status=open` list filter, grouping, the SLA job).
    public var isOpen: Bool { self != .resolved }

    /// The statuses that count as open, for list filters.
    public static let openStatuses: [IncidentStatus] = [.investigating, .identified, .monitoring]

    public static func < (lhs: IncidentStatus, rhs: IncidentStatus) -> Bool { lhs.order < rhs.order }
}
