import Domain

/// An action item as read from the database, with the incident its post-mortem is about.
public struct ActionItemRecord: Sendable, Hashable {
    public let item: ActionItem
    public let incidentID: Int64

    public init(item: ActionItem, incidentID: Int64) {
        self.item = item
        self.incidentID = incidentID
    }
}

/// What `GET /action-items` may filter on (issue 7); nil and false mean "any".
public struct ActionItemListFilter: Sendable, Hashable {
    /// Exact owner name.
    public var owner: String?
    public var status: ActionItemStatus?
    /// Only open items whose due date is before today (UTC); see ``ActionItem/isOverdue(today:)``.
    public var overdueOnly: Bool

    public init(owner: String? = nil, status: ActionItemStatus? = nil, overdueOnly: Bool = false) {
        self.owner = owner
        self.status = status
        self.overdueOnly = overdueOnly
    }
}

/// The cursor of `GET /action-items` (oldest first); see ``KeysetCursorCoding``.
public enum ActionItemCursor {
    static let tag = "action_items"

    public static func encode(id: Int64) -> String { KeysetCursorCoding.encode(tag: tag, id: id) }

    /// The last item id of the previous page; nil when the text is not such a cursor.
    public static func decode(_ cursor: String) -> Int64? { KeysetCursorCoding.decode(tag: tag, cursor) }
}
