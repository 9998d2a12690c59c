import Foundation

/// Opaque keyset cursors (SPEC §4: "opaque cursors stable under inserts").
///
/// A cursor holds only the id of the last row of a page, tagged with the list it belongs to, in
/// base64url. Lists order by immutable keys (`alerts.id`; a timeline entry's `occurred_at, id`,
/// looked up again by id because entries are never changed or deleted), so rows inserted while a
/// client pages never shift a page boundary.
public enum KeysetCursorCoding {
    /// The cursor text for the row `id` of the list `tag`.
    public static func encode(tag: String, id: Int64) -> String {
        Data("\(tag):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The row id in a cursor made by ``encode(tag:id:)`` for the same `tag`; nil for anything else.
    public static func decode(tag: String, _ cursor: String) -> Int64? {
        guard cursor.utf8.count <= 64 else { return nil }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            text.hasPrefix(tag + ":"), let id = Int64(text.dropFirst(tag.count + 1)), id > 0
        else { return nil }
        return id
    }
}

/// The cursor of `GET /alerts` (newest first).
public enum AlertCursor {
    static let tag = "alerts"

    public static func encode(id: Int64) -> String { KeysetCursorCoding.encode(tag: tag, id: id) }

    /// The last alert id of the previous page; nil when the text is not an alerts cursor.
    public static func decode(_ cursor: String) -> Int64? { KeysetCursorCoding.decode(tag: tag, cursor) }
}
