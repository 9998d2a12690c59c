import Domain
import Foundation

/// What `GET /incidents` may filter on (SPEC §4, issue 6); empty arrays and nil mean "any".
public struct IncidentListFilter: Sendable, Hashable {
    /// Statuses to include; `status=open` is the three open ones (``IncidentStatus/openStatuses``).
    public var statuses: Set<IncidentStatus>
    public var severities: Set<IncidentSeverity>
    /// Service names: incidents affecting any of them.
    public var services: [String]
    /// Incidents changed at or after this time (`updated_at`): the change feed for pollers.
    public var since: Date?

    public init(
        statuses: Set<IncidentStatus> = [], severities: Set<IncidentSeverity> = [], services: [String] = [],
        since: Date? = nil
    ) {
        self.statuses = statuses
        self.severities = severities
        self.services = services
        self.since = since
    }
}

/// The cursor of `GET /incidents` (newest first); see ``KeysetCursorCoding``.
public enum IncidentCursor {
    static let tag = "incidents"

    public static func encode(id: Int64) -> String { KeysetCursorCoding.encode(tag: tag, id: id) }

    /// The last incident id of the previous page; nil when the text is not an incidents cursor.
    public static func decode(_ cursor: String) -> Int64? { KeysetCursorCoding.decode(tag: tag, cursor) }
}
