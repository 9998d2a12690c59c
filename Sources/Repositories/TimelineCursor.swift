/// The cursor of timeline lists (by alert, incident or service); see ``KeysetCursorCoding``.
public enum TimelineCursor {
    static let tag = "timeline"

    public static func encode(id: Int64) -> String { KeysetCursorCoding.encode(tag: tag, id: id) }

    /// The last entry id of the previous page; nil when the text is not a timeline cursor.
    public static func decode(_ cursor: String) -> Int64? { KeysetCursorCoding.decode(tag: tag, cursor) }
}
