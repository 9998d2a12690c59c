import Foundation

/// One layer of a schedule (SPEC §10): a rotation of participants handing off every `length`
/// units of wall clock from `start`, optionally masked by a restriction.
public struct ScheduleLayer: Sendable, Hashable {
    /// The stored layer's id; nil for one not stored yet.
    public var id: Int64?
    public var name: String
    public var rotation: RotationKind
    /// Units of ``rotation`` per shift, ≥ 1.
    public var length: Int
    /// The first hand-off, on the wall clock of the schedule's zone.
    public var start: LocalDateTime
    /// User ids in rotation order, no repeats; empty means the layer covers nothing.
    public var participants: [Int64]
    public var restriction: LayerRestriction?
    public var anchor: RotationAnchor

    public init(
        id: Int64? = nil, name: String, rotation: RotationKind, length: Int, start: LocalDateTime,
        participants: [Int64], restriction: LayerRestriction? = nil, anchor: RotationAnchor = .start
    ) {
        precondition(length >= 1)
        self.id = id
        self.name = name
        self.rotation = rotation
        self.length = length
        self.start = start
        self.participants = participants
        self.restriction = restriction
        self.anchor = anchor
    }

    /// Limits on a layer (422 beyond).
    public static let maxLength = 1000
    public static let maxParticipants = 100
    public static let maxNameLength = 100

    /// Wall-clock seconds between hand-offs.
    var stepSeconds: Int64 { Int64(length) * rotation.unitSeconds }

    /// Hand-off number `index` (0 = `start`) as an instant in Unix seconds. Two hand-offs can
    /// fall on one instant: an hourly hand-off at a wall time that does not exist moves to the
    /// transition, where the next one already is (that shift is empty).
    func handoffSecond(_ index: Int64, in zone: ScheduleZone) -> Int64 {
        zone.instantSecond(of: start.adding(seconds: index * stepSeconds))
    }

    /// The number of the last hand-off at or before `time`, nil before the first.
    func handoffIndex(at time: Double, in zone: ScheduleZone) -> Int64? {
        guard Double(handoffSecond(0, in: zone)) <= time else { return nil }
        let wall = zone.local(at: Date(timeIntervalSince1970: time)).localSeconds
        // The wall clock and the instant disagree by at most a transition's jump, so the
        // estimate is off by a step or two at most.
        var index = max(0, floorDivide(wall - start.localSeconds, stepSeconds))
        while index > 0 && Double(handoffSecond(index, in: zone)) > time { index -= 1 }
        while Double(handoffSecond(index + 1, in: zone)) <= time { index += 1 }
        return index
    }

    /// The participant that hand-off number `index` goes to; nil without participants.
    public func participant(forHandoff index: Int64) -> Int64? {
        guard !participants.isEmpty else { return nil }
        let count = Int64(participants.count)
        let position = floorModulo(Int64(anchor.position) + (index - anchor.handoff), count)
        return participants[Int(position)]
    }

    /// Whose turn it is at `time` by the rotation alone (restriction ignored); nil before the
    /// first hand-off or without participants.
    public func rotationUser(at time: Double, in zone: ScheduleZone) -> Int64? {
        guard !participants.isEmpty, let index = handoffIndex(at: time, in: zone) else { return nil }
        return participant(forHandoff: index)
    }

    /// Who this layer puts on call at `time`: the rotation's user where the restriction (if
    /// any) covers `time`.
    func coveringUser(at time: Double, in zone: ScheduleZone) -> Int64? {
        guard let user = rotationUser(at: time, in: zone) else { return nil }
        if let restriction, !restriction.covers(time, in: zone) { return nil }
        return user
    }

    /// The first instant strictly after `time` where this layer's answer may change.
    func nextBoundary(after time: Double, in zone: ScheduleZone) -> Int64? {
        guard !participants.isEmpty else { return nil }
        let first = handoffSecond(0, in: zone)
        if time < Double(first) { return first }
        var best: Int64?
        // With one participant a hand-off changes nobody; with several, every one does
        // (participants never repeat).
        if participants.count > 1, let index = handoffIndex(at: time, in: zone) {
            best = handoffSecond(index + 1, in: zone)
        }
        if let edge = restriction?.nextEdge(after: time, in: zone), best.map({ edge < $0 }) ?? true {
            best = edge
        }
        return best
    }

    /// The last instant strictly before `time` where this layer's answer may change.
    func previousBoundary(before time: Double, in zone: ScheduleZone) -> Int64? {
        guard !participants.isEmpty else { return nil }
        let first = handoffSecond(0, in: zone)
        guard Double(first) < time else { return nil }
        var best = first
        if participants.count > 1, let index = handoffIndex(at: time.nextDown, in: zone) {
            best = max(best, handoffSecond(index, in: zone))
        }
        if let edge = restriction?.previousEdge(before: time, in: zone), edge > best { best = edge }
        return best
    }
}

extension ScheduleLayer {
    /// The hand-off instants in [`from`, `to`), in order. Two equal instants in a row mean an
    /// empty shift (an hourly hand-off at a wall time skipped by daylight saving).
    public func handoffs(from: Date, to: Date, in zone: ScheduleZone) -> [Date] {
        var index = handoffIndex(at: from.timeIntervalSince1970, in: zone) ?? 0
        var result: [Date] = []
        while true {
            let second = handoffSecond(index, in: zone)
            let instant = Date(timeIntervalSince1970: Double(second))
            if instant >= to { break }
            if instant >= from { result.append(instant) }
            index += 1
        }
        return result
    }
}
