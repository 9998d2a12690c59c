import Domain
import Foundation

/// What `GET /alerts` may filter on (SPEC §4); empty arrays and nil mean "any".
public struct AlertListFilter: Sendable, Hashable {
    public var statuses: [AlertStatus]
    /// Service names.
    public var services: [String]
    public var severities: [AlertSeverity]
    /// Alerts changed at or after this time (`updated_at`): the change feed for pollers.
    public var since: Date?
    /// Only this service's alerts (a routing key sees nothing else).
    public var serviceID: Int64?

    public init(
        statuses: [AlertStatus] = [], services: [String] = [], severities: [AlertSeverity] = [],
        since: Date? = nil, serviceID: Int64? = nil
    ) {
        self.statuses = statuses
        self.services = services
        self.severities = severities
        self.since = since
        self.serviceID = serviceID
    }
}

/// One page of a keyset-paginated list and the cursor of the next page (nil on the last).
public struct RepositoryPage<Item: Sendable>: Sendable {
    public let items: [Item]
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
