import Foundation

/// A final shift whose ends may lie beyond what was searched (`GET /oncalls`): nil means
/// nothing changes within ``OnCallSchedule/searchHorizon`` in that direction.
public struct OpenShift: Sendable, Hashable {
    public let userID: Int64
    public let start: Date?
    public let end: Date?

    public init(userID: Int64, start: Date?, end: Date?) {
        self.userID = userID
        self.start = start
        self.end = end
    }
}

extension OnCallSchedule {
    /// Who is on call at `instant`, with the bounds of that final shift (adjacent shifts of one
    /// user merged, as in ``shifts(from:to:)``) and who comes next.
    public func answer(at instant: Date) -> OnCallAnswer {
        let time = instant.timeIntervalSince1970
        let here = point(at: time)
        let user = here?.userID
        let start = shiftStart(around: time, user: user)
        let end = shiftEnd(around: time, user: user)
        return OnCallAnswer(
            point: here, start: start.map { Date(timeIntervalSince1970: $0) },
            end: end.map { Date(timeIntervalSince1970: $0) },
            nextUserID: end.flatMap { point(at: $0)?.userID })
    }

    /// The final shifts over [`from`, `to`): adjacent shifts of one user merged, the first and
    /// last cut at `from` and `to` (SPEC §14), times when nobody is on call left out. Shifts
    /// never overlap, in time order.
    public func shifts(from: Date, to: Date) -> [Shift] {
        let limit = to.timeIntervalSince1970
        var time = from.timeIntervalSince1970
        var result: [Shift] = []
        var current = point(at: time)?.userID
        var segmentStart = time
        func close(_ end: Double) {
            if let current, segmentStart < end {
                result.append(
                    Shift(
                        userID: current, start: Date(timeIntervalSince1970: segmentStart),
                        end: Date(timeIntervalSince1970: end)))
            }
        }
        while time < limit {
            guard let next = nextBoundary(after: time), next < limit else { break }
            let user = point(at: next)?.userID
            if user != current {
                close(next)
                segmentStart = next
                current = user
            }
            time = next
        }
        close(limit)
        return result
    }

    /// The final shifts that overlap [`from`, `to`) with their true bounds, not cut at the
    /// range (PagerDuty's `GET /oncalls`). With `from == to`, the shift at that instant.
    public func openShifts(from: Date, to: Date) -> [OpenShift] {
        let end = to > from ? to : Date(timeIntervalSince1970: from.timeIntervalSince1970.nextUp)
        let cut = shifts(from: from, to: end)
        return cut.enumerated().map { index, shift in
            var start: Date? = shift.start
            var stop: Date? = shift.end
            if index == 0 && shift.start == from {
                start = shiftStart(around: from.timeIntervalSince1970, user: shift.userID).map {
                    Date(timeIntervalSince1970: $0)
                }
            }
            if index == cut.count - 1 && shift.end == end {
                stop = shiftEnd(around: shift.end.timeIntervalSince1970.nextDown, user: shift.userID).map {
                    Date(timeIntervalSince1970: $0)
                }
            }
            return OpenShift(userID: shift.userID, start: start, end: stop)
        }
    }

    /// Where the final shift of `user` around `time` starts: walks back over boundaries while
    /// the same user stays on call. Nil when that goes back past ``searchHorizon``, or when
    /// nothing changed before at all.
    ///
    /// Only instants in [start, end] and the one just before `start` are evaluated, so a caller
    /// that loaded every override overlapping a window around them gets an exact answer.
    func shiftStart(around time: Double, user: Int64?) -> Double? {
        var start = previousBoundary(before: time.nextUp)
        while let boundary = start {
            // Every boundary before `boundary` is at or before its next-lower Double, so this
            // instant is in the segment that ends at `boundary`.
            if point(at: boundary.nextDown)?.userID != user { return boundary }
            start = previousBoundary(before: boundary)
            if let previous = start, time - previous > Self.searchHorizon { return nil }
        }
        return nil
    }

    /// Where the final shift of `user` around `time` ends: the first boundary after it where
    /// someone else (or nobody) takes over. Nil past ``searchHorizon`` or when nothing changes.
    func shiftEnd(around time: Double, user: Int64?) -> Double? {
        var end = nextBoundary(after: time)
        while let boundary = end {
            if point(at: boundary)?.userID != user { return boundary }
            end = nextBoundary(after: boundary)
            if let next = end, next - time > Self.searchHorizon { return nil }
        }
        return nil
    }
}
