import Foundation

/// One append-only line of a timeline (SPEC §3). It belongs to an incident, an alert or a
/// service (change events), and is never edited or deleted.
public struct TimelineEntry: Sendable, Hashable {
    public var id: Int64
    public var incidentID: Int64?
    public var alertID: Int64?
    public var serviceID: Int64?
    public var kind: TimelineEntryKind
    /// Who did it: an API key name, a chat user, or ``systemActor``.
    public var actor: String
    public var body: String
    /// Structured facts about the entry, e.g. `{"from": "investigating", "to": "identified"}`.
    public var data: [String: JSONValue]
    /// When it happened; may be earlier than `createdAt` for back-dated manual notes.
    public var occurredAt: Date
    public var createdAt: Date

    /// The actor recorded for entries the server writes on its own (SLA job, grouping).
    public static let systemActor = "system"
    /// Longest actor name, in characters.
    public static let maxActorLength = 200
    /// Longest body (notes, status update messages, resolutions), in characters.
    public static let maxBodyLength = 10_000

    /// Keys of `data` that have a fixed meaning; key-moment derivation reads ``to``.
    public enum DataKey {
        /// The value before the change (`status_changed`, `severity_changed`, ...).
        public static let from = "from"
        /// The value after the change.
        public static let to = "to"
        /// The changed field's JSON name (`field_changed`).
        public static let field = "field"
        /// The related alert's ref, `ALR-<id>`.
        public static let alert = "alert"
    }

    public init(
        id: Int64, incidentID: Int64? = nil, alertID: Int64? = nil, serviceID: Int64? = nil,
        kind: TimelineEntryKind, actor: String = TimelineEntry.systemActor, body: String = "",
        data: [String: JSONValue] = [:], occurredAt: Date, createdAt: Date
    ) {
        self.id = id
        self.incidentID = incidentID
        self.alertID = alertID
        self.serviceID = serviceID
        self.kind = kind
        self.actor = actor
        self.body = body
        self.data = data
        self.occurredAt = occurredAt
        self.createdAt = createdAt
    }

    /// The status an entry moved to, for `status_changed` entries with a valid `to`.
    public var statusChangedTo: IncidentStatus? {
        guard kind == .statusChanged, let to = data[DataKey.to]?.stringValue else { return nil }
        return IncidentStatus(rawValue: to)
    }
}
