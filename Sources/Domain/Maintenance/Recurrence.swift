import Foundation

/// A recurring maintenance window's timing (SPEC §12): an RFC 5545 rule (``RecurrenceRule``) in an
/// IANA zone, counted from a first wall time (DTSTART), each occurrence lasting
/// ``durationSeconds`` of elapsed time.
///
/// Occurrences are wall-clock times turned into instants by the schedules' rules
/// (``ScheduleZone/instant(of:)``, SPEC §10/§14): a start that does not exist (skipped when clocks
/// go forward) becomes the transition instant, the first that does exist after it; an ambiguous
/// one (shown twice when clocks go back) is its first occurrence. Several wall times that land
/// on one instant (02:00 and 02:30 in a skipped hour) are one occurrence. The duration is
/// elapsed time, so a 2-hour window is 2 hours long also on the night the clocks change.
///
/// Pure: instants are whole Unix seconds, as the zone tables and every wall time are.
public struct Recurrence: Sendable, Hashable {
    public let rule: RecurrenceRule
    public let zone: ScheduleZone
    /// RFC 5545's DTSTART: occurrences are at or after this wall time, and `INTERVAL` counts days
    /// or weeks from its day.
    public let start: LocalDateTime
    /// How long each occurrence lasts, in seconds (> 0).
    public let durationSeconds: Int64

    /// Occurrences merged into one period at most (only clock changes can make occurrences of a
    /// valid window overlap: its duration is shorter than the wall time between two starts).
    static let maxMergedOccurrences = 1000

    public init(rule: RecurrenceRule, zone: ScheduleZone, start: LocalDateTime, durationSeconds: Int64) {
        self.rule = rule
        self.zone = zone
        self.start = start
        self.durationSeconds = durationSeconds
    }

    /// The starts of the occurrences in `from ..< to`, ascending, each instant once.
    public func starts(from: Date, to: Date) -> [Date] {
        startSeconds(from: Self.ceilSecond(from), to: Self.ceilSecond(to)).map(Self.date)
    }

    /// The occurrences that overlap `from ..< to` (start before `to`, end after `from`), each
    /// with its own end (not merged), ascending by start.
    public func occurrences(overlapping from: Date, to: Date) -> [MaintenancePeriod] {
        let lower = Self.floorSecond(from) - durationSeconds + 1
        return startSeconds(from: lower, to: Self.ceilSecond(to))
            .map { MaintenancePeriod(start: Self.date($0), end: Self.date($0 + durationSeconds)) }
            .filter { $0.end > from }
    }

    /// The period in force at `instant`, or else the next one: occurrences that overlap or touch
    /// are one period (from the first start to the last end). Nil only when the rule has no
    /// occurrence in the two years after `instant` or DTSTART, whichever is later (an `INTERVAL`
    /// of 99 weeks recurs within them).
    public func period(atOrAfter instant: Date) -> MaintenancePeriod? {
        let second = Self.floorSecond(instant)
        // Nothing occurs before DTSTART: a search for a rule that starts later begins there.
        let searchStart = max(second, zone.instantSecond(of: start) - 86_400)
        // An occurrence still running at `second` started after `second - duration`.
        var from = searchStart - durationSeconds + 1
        let horizon = searchStart + 2 * 366 * 86_400
        let chunk = max(rule.cycleDays + 8, 14) * 86_400
        while from < horizon {
            let starts = startSeconds(from: from, to: from + chunk)
            if let first = starts.first(where: { $0 + durationSeconds > second }) {
                return merged(around: first)
            }
            from += chunk
        }
        return nil
    }

    /// The wall-clock seconds between the two closest consecutive starts (over two cycles of the
    /// rule from DTSTART), or nil when the rule never occurs. A duration below it keeps
    /// occurrences apart except around clock changes.
    public var shortestWallGap: Int64? {
        let starts = localStarts(
            from: start.localSeconds, to: start.localSeconds + (2 * rule.cycleDays + 2) * 86_400)
        guard !starts.isEmpty else { return nil }
        // Every cycle repeats the pattern, so two cycles hold two starts; were there one, the
        // cycle would be the gap.
        guard starts.count > 1 else { return rule.cycleDays * 86_400 }
        return zip(starts, starts.dropFirst()).map { $1 - $0 }.min()
    }

    /// The merged period of the occurrence starting at `first` (Unix seconds): earlier
    /// occurrences that reach it and later ones it reaches join it.
    private func merged(around first: Int64) -> MaintenancePeriod {
        var start = first
        var end = first + durationSeconds
        var count = 1
        // Backwards: an occurrence ending at or after `start` joins (there can be one only where
        // the clocks changed; the loop stops at the first gap).
        while count < Self.maxMergedOccurrences,
            let earlier = startSeconds(from: start - durationSeconds, to: start).first
        {
            start = earlier
            count += 1
        }
        // Forwards: an occurrence starting at or before `end` and ending after it joins (one
        // starting after `end - duration` ends after `end`: every occurrence lasts as long).
        while count < Self.maxMergedOccurrences,
            let later = startSeconds(from: end - durationSeconds + 1, to: end + 1).first
        {
            end = later + durationSeconds
            count += 1
        }
        return MaintenancePeriod(start: Self.date(start), end: Self.date(end))
    }

    /// Occurrence starts (Unix seconds) in `from ..< to`, ascending, each instant once.
    func startSeconds(from: Int64, to: Int64) -> [Int64] {
        guard from < to else { return [] }
        // A wall time lies within a day of the instant it stands for (offsets and gaps are hours).
        let localFrom = from + zone.offset(at: from) - 86_400
        let localTo = to + zone.offset(at: to) + 86_400
        var result: [Int64] = []
        for local in localStarts(from: localFrom, to: localTo) {
            // Non-decreasing in `local`: equal instants (wall times in one gap) come together.
            let instant = zone.instantSecond(of: LocalDateTime(localSeconds: local))
            if instant >= from, instant < to, result.last != instant { result.append(instant) }
        }
        return result
    }

    /// The rule's wall times in `from ..< to` (local seconds), ascending, none before DTSTART.
    func localStarts(from: Int64, to: Int64) -> [Int64] {
        let lower = max(from, start.localSeconds)
        guard lower < to else { return [] }
        let seconds = rule.secondsOfDay(start: start)
        let startDay = start.day
        var result: [Int64] = []
        var day = floorDivide(lower, 86_400)
        let lastDay = floorDivide(to - 1, 86_400)
        while day <= lastDay {
            if rule.occurs(onDay: day, startDay: startDay) {
                for second in seconds {
                    let local = day * 86_400 + Int64(second)
                    if local >= lower, local < to { result.append(local) }
                }
            }
            day += 1
        }
        return result
    }

    static func floorSecond(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
    static func ceilSecond(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.up)) }
    static func date(_ second: Int64) -> Date { Date(timeIntervalSince1970: Double(second)) }
}
