import Domain
import Foundation

/// A stored schedule: its rules, never computed shifts (SPEC §10).
public struct ScheduleRecord: Sendable {
    public let id: Int64
    public let name: String
    public let zone: ScheduleZone
    /// In order: later layers win. Each carries its id and anchor.
    public let layers: [ScheduleLayer]
    public let createdAt: Date
    public let updatedAt: Date
}

/// A stored override.
public struct OverrideRecord: Sendable, Equatable {
    public let id: Int64
    public let scheduleID: Int64
    public let userID: Int64
    public let start: Date
    public let end: Date
    public let createdBy: String
    public let createdAt: Date
}
