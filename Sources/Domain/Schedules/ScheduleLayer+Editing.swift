import Foundation

extension ScheduleLayer {
    /// Whether `other` hands off at the same instants: same rotation, length, start and zone.
    public func hasSameCalendar(as other: ScheduleLayer, zone: ScheduleZone, otherZone: ScheduleZone) -> Bool
    {
        rotation == other.rotation && length == other.length && start == other.start
            && zone.identifier == otherZone.identifier
    }

    /// The anchor this layer should carry when it replaces `old` at `now` (issue 15: editing
    /// participants does not reshuffle the current shift).
    ///
    /// - A new layer, or one whose calendar changed (rotation, length, start or the schedule's
    ///   zone): the rotation starts over, with the first participant at `start`.
    /// - Same calendar and participants: the old anchor, unchanged.
    /// - Same calendar, other participants: whoever's turn it is now stays on until the next
    ///   hand-off, and the rotation goes on from them in the new order. When they were removed,
    ///   the next of the old order who is still in the layer takes over now.
    public func rebasedAnchor(
        editing old: ScheduleLayer?, at now: Date, oldZone: ScheduleZone, newZone: ScheduleZone
    ) -> RotationAnchor {
        guard let old, hasSameCalendar(as: old, zone: newZone, otherZone: oldZone) else { return .start }
        if participants == old.participants { return old.anchor }
        guard !participants.isEmpty,
            let index = old.handoffIndex(at: now.timeIntervalSince1970, in: oldZone),
            let current = old.participant(forHandoff: index),
            let oldPosition = old.participants.firstIndex(of: current)
        else { return .start }
        let count = old.participants.count
        for step in 0..<count {
            let candidate = old.participants[(oldPosition + step) % count]
            if let position = participants.firstIndex(of: candidate) {
                return RotationAnchor(handoff: index, position: position)
            }
        }
        return RotationAnchor(handoff: index, position: 0)
    }
}
