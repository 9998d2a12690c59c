import Foundation

/// A stretch of time a maintenance window is in force: `start` inclusive, `end` exclusive.
public struct MaintenancePeriod: Sendable, Hashable, CustomStringConvertible {
    public let start: Date
    public let end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// Whether `instant` lies in `start ..< end`.
    public func contains(_ instant: Date) -> Bool { start <= instant && instant < end }

    public var description: String { "\(start.timeIntervalSince1970)..<\(end.timeIntervalSince1970)" }
}
