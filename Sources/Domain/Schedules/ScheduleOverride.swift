import Foundation

/// Someone on call instead of the layers over [`start`, `end`) (SPEC §10). Among overrides
/// that cover an instant the newest wins: the one created last, which has the highest id.
public struct ScheduleOverride: Sendable, Hashable {
    public let id: Int64
    public let userID: Int64
    public let start: Date
    public let end: Date

    public init(id: Int64, userID: Int64, start: Date, end: Date) {
        precondition(start < end)
        self.id = id
        self.userID = userID
        self.start = start
        self.end = end
    }
}

/// Where an on-call answer comes from.
public enum OnCallSource: Sendable, Hashable {
    /// The layer at this index of the schedule's layers (the last covering one).
    case layer(Int)
    /// The override with this id.
    case override(Int64)
}

/// Who is on call at one instant and why.
public struct OnCallPoint: Sendable, Hashable {
    public let userID: Int64
    public let source: OnCallSource

    public init(userID: Int64, source: OnCallSource) {
        self.userID = userID
        self.source = source
    }
}

/// One final shift: `userID` on call over [`start`, `end`).
public struct Shift: Sendable, Hashable {
    public let userID: Int64
    public let start: Date
    public let end: Date

    public init(userID: Int64, start: Date, end: Date) {
        self.userID = userID
        self.start = start
        self.end = end
    }
}

/// The final shift around an instant (`GET /schedules/{id}/oncall`).
public struct OnCallAnswer: Sendable, Hashable {
    /// Nil when nobody is on call.
    public let point: OnCallPoint?
    /// Where this final shift (adjacent shifts of one user merged) starts and ends; nil when
    /// nothing changes within ``OnCallSchedule/searchHorizon`` in that direction.
    public let start: Date?
    public let end: Date?
    /// Who is on call from `end` (nil: nobody).
    public let nextUserID: Int64?
}
