import Foundation

/// A span of time during which something held a component at least at `status`: one severity
/// of a public incident, an active public maintenance window, or a manual override.
/// `end` nil means it still holds.
public struct StatusInterval: Sendable, Hashable {
    public let start: Date
    public let end: Date?
    public let status: ComponentStatus

    public init(start: Date, end: Date?, status: ComponentStatus) {
        self.start = start
        self.end = end
        self.status = status
    }

    /// True when the interval covers instant `t` (start inclusive, end exclusive).
    public func covers(_ t: Date) -> Bool { start <= t && end.map { t < $0 } ?? true }
}
