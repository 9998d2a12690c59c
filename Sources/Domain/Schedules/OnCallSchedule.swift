import Foundation

/// A schedule's final on-call computation (SPEC §10, §14), pure: layers and overrides in, who
/// is on call out. At an instant the newest covering override wins; otherwise the last layer
/// that covers it; otherwise nobody.
///
/// The answer is constant between *boundaries* (hand-offs, restriction window edges, layer
/// starts, override starts and ends), so shifts are found by stepping from boundary to
/// boundary instead of sampling time.
public struct OnCallSchedule: Sendable {
    public let zone: ScheduleZone
    public let layers: [ScheduleLayer]
    /// Newest first.
    let overrides: [ScheduleOverride]
    /// Every override start and end, ascending, in seconds since 1970.
    private let overrideEdges: [Double]

    /// How far ``answer(at:)`` and unclipped shifts look for where a shift starts or ends.
    public static let searchHorizon: TimeInterval = 366 * 86_400

    public init(zone: ScheduleZone, layers: [ScheduleLayer], overrides: [ScheduleOverride]) {
        self.zone = zone
        self.layers = layers
        self.overrides = overrides.sorted { $0.id > $1.id }
        overrideEdges = overrides.flatMap { [$0.start.timeIntervalSince1970, $0.end.timeIntervalSince1970] }
            .sorted()
    }

    /// Who is on call at `instant`, and from which override or layer; nil for nobody.
    public func onCall(at instant: Date) -> OnCallPoint? {
        point(at: instant.timeIntervalSince1970)
    }

    func point(at time: Double) -> OnCallPoint? {
        for override in overrides
        where override.start.timeIntervalSince1970 <= time && time < override.end.timeIntervalSince1970 {
            return OnCallPoint(userID: override.userID, source: .override(override.id))
        }
        for index in layers.indices.reversed() {
            if let user = layers[index].coveringUser(at: time, in: zone) {
                return OnCallPoint(userID: user, source: .layer(index))
            }
        }
        return nil
    }

    /// The first boundary strictly after `time`; nil when nothing ever changes again.
    func nextBoundary(after time: Double) -> Double? {
        var best: Double?
        func consider(_ value: Double) { if best.map({ value < $0 }) ?? true { best = value } }
        for layer in layers {
            if let edge = layer.nextBoundary(after: time, in: zone) { consider(Double(edge)) }
        }
        // First edge greater than `time` (binary search).
        var low = 0
        var high = overrideEdges.count
        while low < high {
            let middle = (low + high) / 2
            if overrideEdges[middle] <= time { low = middle + 1 } else { high = middle }
        }
        if low < overrideEdges.count { consider(overrideEdges[low]) }
        return best
    }

    /// The last boundary strictly before `time`; nil when nothing changed before it.
    func previousBoundary(before time: Double) -> Double? {
        var best: Double?
        func consider(_ value: Double) { if best.map({ value > $0 }) ?? true { best = value } }
        for layer in layers {
            if let edge = layer.previousBoundary(before: time, in: zone) { consider(Double(edge)) }
        }
        // Last edge less than `time`.
        var low = 0
        var high = overrideEdges.count
        while low < high {
            let middle = (low + high) / 2
            if overrideEdges[middle] < time { low = middle + 1 } else { high = middle }
        }
        if low > 0 { consider(overrideEdges[low - 1]) }
        return best
    }
}
