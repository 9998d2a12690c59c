import Foundation

/// A component's status over time, derived from the intervals of its sources (SPEC §13):
/// open public incidents on its services (by severity), active public maintenance windows,
/// and manual overrides. The status at an instant is the worst interval covering it, else
/// `operational`; uptime integrates Atlassian's down weights over a window (SPEC §14).
public struct ComponentStatusHistory: Sendable {
    public let intervals: [StatusInterval]

    public init(intervals: [StatusInterval]) { self.intervals = intervals }

    /// The status at instant `t`.
    public func status(at t: Date) -> ComponentStatus {
        intervals.lazy.filter { $0.covers(t) }.map(\.status).max() ?? .operational
    }

    /// The status as a request at `now` sees it, after every row it wrote: timestamps are
    /// stored to the microsecond, rounded, so a row written "at now" may sit up to half a
    /// microsecond after `now`; the status is read one microsecond later.
    public func current(at now: Date) -> ComponentStatus {
        status(at: now.addingTimeInterval(Self.storageResolution))
    }

    /// PostgreSQL's timestamp resolution.
    public static let storageResolution: TimeInterval = 0.000_001

    /// The status changes within `[from, to)`: the status at `from`, then one entry per instant
    /// the status changes, in order.
    public func changes(from: Date, to: Date) -> [(at: Date, status: ComponentStatus)] {
        var result: [(at: Date, status: ComponentStatus)] = [(from, status(at: from))]
        for boundary in boundaries(from: from, to: to) {
            let next = status(at: boundary)
            if next != result[result.count - 1].status { result.append((boundary, next)) }
        }
        return result
    }

    /// Percent of `[from, to)` counted up: 100 × (1 − Σ duration × down weight / length).
    /// An empty window is 100.
    public func uptimePercent(from: Date, to: Date) -> Double {
        let length = to.timeIntervalSince(from)
        guard length > 0 else { return 100 }
        let steps = changes(from: from, to: to)
        var down = 0.0
        for (index, step) in steps.enumerated() {
            let end = index + 1 < steps.count ? steps[index + 1].at : to
            down += end.timeIntervalSince(step.at) * step.status.downWeight
        }
        return 100 * (1 - down / length)
    }

    /// Interval starts and ends strictly inside `(from, to)`, sorted, without repeats.
    private func boundaries(from: Date, to: Date) -> [Date] {
        var points: Set<Date> = []
        for interval in intervals {
            if interval.start > from && interval.start < to { points.insert(interval.start) }
            if let end = interval.end, end > from && end < to { points.insert(end) }
        }
        return points.sorted()
    }
}

extension ComponentStatusHistory {
    /// The intervals of one public incident: from its publication to its resolution (or now),
    /// at the severity it had at each moment. `severityChanges` are its `severity_changed`
    /// entries (time, from, to) in order; `current` is its severity now.
    public static func incidentIntervals(
        publishedAt: Date, resolvedAt: Date?, current: IncidentSeverity,
        severityChanges: [(at: Date, from: IncidentSeverity, to: IncidentSeverity)]
    ) -> [StatusInterval] {
        var result: [StatusInterval] = []
        var start = publishedAt
        var severity = severityChanges.first?.from ?? current
        for change in severityChanges {
            if change.at > start {
                if resolvedAt.map({ change.at < $0 }) ?? true {
                    result.append(
                        StatusInterval(
                            start: start, end: change.at, status: ComponentStatus(incidentSeverity: severity))
                    )
                    start = change.at
                }
            }
            severity = change.to
        }
        if resolvedAt.map({ start < $0 }) ?? true {
            result.append(
                StatusInterval(
                    start: start, end: resolvedAt, status: ComponentStatus(incidentSeverity: severity)))
        }
        return result
    }

    /// The intervals of manual overrides: each row holds from its time to the next row's;
    /// a null status (cleared) holds nothing.
    public static func overrideIntervals(_ rows: [(at: Date, status: ComponentStatus?)]) -> [StatusInterval] {
        var result: [StatusInterval] = []
        for (index, row) in rows.enumerated() {
            guard let status = row.status else { continue }
            let end = index + 1 < rows.count ? rows[index + 1].at : nil
            result.append(StatusInterval(start: row.at, end: end, status: status))
        }
        return result
    }
}
