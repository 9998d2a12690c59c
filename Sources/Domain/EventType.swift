/// What an event in the log records (SPEC §8). Stored as its raw value in `events.type`.
///
/// Channels subscribe with a list of filters (``matches(_:)``): a type, `family.*` (every type
/// of one family, also those added later) or `*`.
public enum EventType: String, Sendable, CaseIterable, Codable {
    case alertTriggered = "alert.triggered"
    case alertAcknowledged = "alert.acknowledged"
    case alertResolved = "alert.resolved"
    case incidentOpened = "incident.opened"
    case incidentUpdated = "incident.updated"
    case incidentAcknowledged = "incident.acknowledged"
    case incidentStatusChanged = "incident.status_changed"
    case incidentEscalated = "incident.escalated"
    case incidentResolved = "incident.resolved"
    case incidentNoteAdded = "incident.note_added"
    case incidentStatusUpdate = "incident.status_update"
    case incidentUpdateDue = "incident.update_due"
    case postmortemPublished = "postmortem.published"
    case heartbeatExpired = "heartbeat.expired"
    case heartbeatRecovered = "heartbeat.recovered"
    case maintenanceStarted = "maintenance.started"
    case maintenanceEnded = "maintenance.ended"
    case deliveryDead = "delivery.dead"
    /// `POST /channels/{id}/test`: delivered to that channel only, never fanned out.
    case test

    /// SPEC §9: what a channel gets when it names no `events`: every incident event.
    public static let defaultChannelFilters = ["incident.*"]

    /// The part before the dot (`incident`); the whole type when it has none (`test`).
    public var family: Substring {
        rawValue.split(separator: ".", maxSplits: 1).first ?? Substring(rawValue)
    }

    /// Whether the channel filter `filter` (a type, `family.*` or `*`) selects this type.
    public func matches(_ filter: String) -> Bool {
        filter == "*" || filter == rawValue || filter == "\(family).*"
    }

    /// Whether `filter` is a filter a channel may store: a known type, `family.*` of a known
    /// family, or `*`.
    public static func isValidFilter(_ filter: String) -> Bool {
        if filter == "*" || EventType(rawValue: filter) != nil { return true }
        guard filter.hasSuffix(".*") else { return false }
        let family = filter.dropLast(2)
        return allCases.contains { $0.family == family && $0.rawValue.contains(".") }
    }
}
