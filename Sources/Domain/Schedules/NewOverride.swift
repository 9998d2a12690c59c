import Foundation

/// A validated `POST /schedules/{id}/overrides {user, start, end}` (SPEC §10).
public struct NewOverride: Sendable, Hashable {
    public let userID: Int64
    public let start: Date
    public let end: Date

    /// `user` must exist (`knownUsers`), `end` must be after `start`.
    public static func validate(user: Int64?, start: Date?, end: Date?, knownUsers: Set<Int64>)
        throws(ValidationError) -> NewOverride
    {
        var check = Validator()
        if let user {
            check.check(knownUsers.contains(user), "user", "no user \(user) exists")
        } else {
            check.add("user", "is required")
        }
        check.check(start != nil, "start", "is required")
        check.check(end != nil, "end", "is required")
        if let start, let end { check.check(start < end, "end", "must be after start") }
        guard check.isValid, let user, let start, let end else { throw check.error }
        return NewOverride(userID: user, start: start, end: end)
    }
}
