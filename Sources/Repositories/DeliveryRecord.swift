import Foundation
import Postgres

/// A delivery as stored (SPEC §9): one (event, channel) or (page, contact method), and where
/// its sending stands.
public struct DeliveryRecord: Sendable, Hashable {
    public enum State: String, Sendable, CaseIterable {
        case pending, delivered, dead, cancelled
    }

    public var id: Int64
    public var eventID: Int64
    public var channelID: Int64?
    /// A page's contact method (exactly one of this and ``channelID`` is set).
    public var contactMethodID: Int64?
    /// The page this delivery is (SPEC §11): incident, step, loop and person; nil for the usual
    /// fan-out.
    public var page: Page?
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastAttemptAt: Date?
    public var lastStatus: Int?
    public var lastError: String?
    public var deliveredAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    /// Which page of an escalation a delivery is.
    public struct Page: Sendable, Hashable {
        public let incidentID: Int64
        public let step: Int
        public let loop: Int
        /// Nil for a channel paged by the step.
        public let userID: Int64?
    }

    /// Columns every delivery query selects; `d` is `deliveries`.
    static let columns: StaticString = """
        d.id, d.event_id, d.channel_id, d.contact_method_id, d.page_incident_id, d.page_step, d.page_loop,
        d.page_user_id, d.state, d.attempts, d.next_attempt_at, d.last_attempt_at,
        d.last_status, d.last_error, d.delivered_at, d.created_at, d.updated_at
        """

    /// Decodes a row selected with ``columns``.
    init(row: PostgresRow) throws {
        let stateText: String = try row.decode("state")
        guard let state = State(rawValue: stateText) else {
            throw PostgresError(.decoding, message: "unknown delivery state \(stateText)", column: "state")
        }
        id = try row.decode("id")
        eventID = try row.decode("event_id")
        channelID = try row.decode("channel_id")
        contactMethodID = try row.decode("contact_method_id")
        if let incident: Int64 = try row.decode("page_incident_id") {
            page = Page(
                incidentID: incident, step: try row.decode("page_step"), loop: try row.decode("page_loop"),
                userID: try row.decode("page_user_id"))
        }
        self.state = state
        attempts = try row.decode("attempts")
        nextAttemptAt = try row.decode("next_attempt_at")
        lastAttemptAt = try row.decode("last_attempt_at")
        lastStatus = try row.decode("last_status")
        lastError = try row.decode("last_error")
        deliveredAt = try row.decode("delivered_at")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}

/// What `GET /deliveries` may filter on; nil means "any".
public struct DeliveryListFilter: Sendable, Hashable {
    public var state: DeliveryRecord.State?
    public var channelID: Int64?
    public var eventID: Int64?

    public init(state: DeliveryRecord.State? = nil, channelID: Int64? = nil, eventID: Int64? = nil) {
        self.state = state
        self.channelID = channelID
        self.eventID = eventID
    }
}
