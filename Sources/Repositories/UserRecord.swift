import Domain
import Foundation

/// A person (SPEC §10).
public struct UserRecord: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let email: String?
    public let chatUser: String?
    public let timeZone: String
    public let createdAt: Date
    public let updatedAt: Date
}

/// One way to reach a person. A webhook's secret is never read back here: it is shown once,
/// when the method is created (``ContactMethodRepository/add(_:userID:secret:)``).
public struct ContactMethodRecord: Sendable, Equatable {
    public let id: Int64
    public let userID: Int64
    public let kind: String
    /// The e-mail address or the URL.
    public let address: String
    public let createdAt: Date
}

/// The cursors of `GET /users` and `GET /schedules` (id order) and of overrides.
public enum PeopleCursor {
    public static let users = "users"
    public static let schedules = "schedules"
    public static let overrides = "overrides"

    public static func encode(_ tag: String, id: Int64) -> String {
        KeysetCursorCoding.encode(tag: tag, id: id)
    }

    /// The last id of the previous page; a validation error naming `cursor` when the text is not
    /// a cursor of list `tag`.
    public static func decode(_ tag: String, _ cursor: String) throws -> Int64 {
        guard let id = KeysetCursorCoding.decode(tag: tag, cursor) else {
            throw ValidationError(field: "cursor", message: "is not a cursor of this list")
        }
        return id
    }
}
