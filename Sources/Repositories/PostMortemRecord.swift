import Domain

/// A post-mortem as read from the database, with the incident facts the API shows beside it.
public struct PostMortemRecord: Sendable, Hashable {
    public let postMortem: PostMortem
    /// The incident's current title (the post-mortem keeps no copy of it).
    public let incidentTitle: String

    public init(postMortem: PostMortem, incidentTitle: String) {
        self.postMortem = postMortem
        self.incidentTitle = incidentTitle
    }
}

/// What `GET /postmortems` may filter on (issue 7); empty and false mean "any".
public struct PostMortemListFilter: Sendable, Hashable {
    public var statuses: [PostMortemStatus]
    /// Only post-mortems past their due date and not yet published.
    public var overdueOnly: Bool

    public init(statuses: [PostMortemStatus] = [], overdueOnly: Bool = false) {
        self.statuses = statuses
        self.overdueOnly = overdueOnly
    }
}

/// The cursor of `GET /postmortems` (newest first); see ``KeysetCursorCoding``.
public enum PostMortemCursor {
    static let tag = "postmortems"

    public static func encode(id: Int64) -> String { KeysetCursorCoding.encode(tag: tag, id: id) }

    /// The last post-mortem id of the previous page; nil when the text is not such a cursor.
    public static func decode(_ cursor: String) -> Int64? { KeysetCursorCoding.decode(tag: tag, cursor) }
}
