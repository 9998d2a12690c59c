/// How a layer's shift length is counted (SPEC §10): in hours, days or weeks of wall clock.
public enum RotationKind: String, Sendable, Hashable, CaseIterable {
    case hourly
    case daily
    case weekly

    /// Wall-clock seconds in one unit. Wall-clock days are always 86,400 s long: a daily
    /// rotation hands off at the same local time every day, so the instant-to-instant shift
    /// is 23 or 25 hours across a daylight-saving change.
    public var unitSeconds: Int64 {
        switch self {
        case .hourly: 3600
        case .daily: 86_400
        case .weekly: 604_800
        }
    }
}

/// Where a layer's rotation stands: hand-off number `handoff` (0 is the first, at the layer's
/// `start`) went to participant number `position`; each later hand-off goes to the next
/// participant, cyclically. Stored with the layer so that editing its participants keeps the
/// person on call now (``ScheduleLayer/rebasedAnchor(editing:at:oldZone:newZone:)``).
public struct RotationAnchor: Sendable, Hashable {
    public let handoff: Int64
    public let position: Int

    public init(handoff: Int64, position: Int) {
        self.handoff = handoff
        self.position = position
    }

    /// A rotation that starts with the first participant at the first hand-off.
    public static let start = RotationAnchor(handoff: 0, position: 0)
}
