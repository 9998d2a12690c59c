import Foundation

/// When a layer may cover (SPEC §10 `restriction`): on the listed days, from `from` up to
/// `to` (exclusive) of wall clock. A restriction only masks coverage: the rotation still hands
/// off on its own calendar (§14), so a shift that falls outside the window is simply not
/// covered by this layer.
///
/// Each day's window runs from the instant of that day's `from` to the instant of its `to`,
/// both turned into instants by the zone's rules (a `from` in a gap starts at the transition,
/// an ambiguous one at its first occurrence).
public struct LayerRestriction: Sendable, Hashable {
    public let days: Set<Weekday>
    /// Minutes after midnight, 0..<1440.
    public let fromMinute: Int
    /// Minutes after midnight, `fromMinute` < `toMinute` ≤ 1440 (1440 is `24:00`, midnight at
    /// the end of the day).
    public let toMinute: Int
    /// `days` as bits (1 << raw value): asked for every window the math looks at, where
    /// hashing a `Set` member cost more than the rest of the lookup.
    private let dayBits: UInt8

    public init(days: Set<Weekday>, fromMinute: Int, toMinute: Int) {
        precondition(!days.isEmpty && 0 <= fromMinute && fromMinute < toMinute && toMinute <= 1440)
        self.days = days
        self.fromMinute = fromMinute
        self.toMinute = toMinute
        dayBits = days.reduce(UInt8(0)) { $0 | 1 << $1.rawValue }
    }

    /// The window of the local day `day` (days since 1970-01-01) in Unix seconds, or nil when
    /// the restriction leaves that weekday out.
    func window(day: Int64, in zone: ScheduleZone) -> (start: Int64, end: Int64)? {
        guard dayBits & 1 << Weekday(daysSinceEpoch: day).rawValue != 0 else { return nil }
        let midnight = day * 86_400
        let start = zone.instantSecond(of: LocalDateTime(localSeconds: midnight + Int64(fromMinute) * 60))
        let end = zone.instantSecond(of: LocalDateTime(localSeconds: midnight + Int64(toMinute) * 60))
        return (start, end)
    }

    /// Whether the instant `time` is inside a window.
    func covers(_ time: Double, in zone: ScheduleZone) -> Bool {
        let day = zone.local(at: Date(timeIntervalSince1970: time)).day
        // A window belongs to its local day; the neighbours are checked because a window's
        // edges are instants, and the day of `time` may differ from the window's day only
        // around a transition at midnight.
        for candidate in day - 1...day + 1 {
            if let window = window(day: candidate, in: zone), Double(window.start) <= time,
                time < Double(window.end)
            {
                return true
            }
        }
        return false
    }

    /// The first window edge (start or end) strictly after `time`.
    func nextEdge(after time: Double, in zone: ScheduleZone) -> Int64? {
        let day = zone.local(at: Date(timeIntervalSince1970: time)).day
        var best: Int64?
        // Eight days ahead always reach a listed weekday's window.
        for candidate in day - 1...day + 8 {
            guard let window = window(day: candidate, in: zone) else { continue }
            for edge in [window.start, window.end] where Double(edge) > time {
                if best.map({ edge < $0 }) ?? true { best = edge }
            }
            // Later days' windows are later still.
            if best != nil { break }
        }
        return best
    }

    /// The last window edge strictly before `time`.
    func previousEdge(before time: Double, in zone: ScheduleZone) -> Int64? {
        let day = zone.local(at: Date(timeIntervalSince1970: time)).day
        var best: Int64?
        for candidate in stride(from: day + 1, through: day - 8, by: -1) {
            guard let window = window(day: candidate, in: zone) else { continue }
            for edge in [window.start, window.end] where Double(edge) < time {
                if best.map({ edge > $0 }) ?? true { best = edge }
            }
            if best != nil { break }
        }
        return best
    }
}
