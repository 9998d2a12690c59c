import Domain

/// An event's place in the log order (ADR 0005): the writing transaction's id, then the event
/// id. Readers that resume from a position never skip an event that committed late.
public struct EventLogPosition: Sendable, Hashable, Comparable {
    /// The writing transaction (`xid8`, 64 bits with epoch).
    public let xid: UInt64
    public let id: Int64

    public init(xid: UInt64, id: Int64) {
        self.xid = xid
        self.id = id
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.xid, lhs.id) < (rhs.xid, rhs.id)
    }
}

/// An event read from the log with its position.
public struct LoggedEvent: Sendable, Hashable {
    public let position: EventLogPosition
    public let event: Event

    public init(position: EventLogPosition, event: Event) {
        self.position = position
        self.event = event
    }
}
