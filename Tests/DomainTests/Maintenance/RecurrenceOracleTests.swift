import Domain
import Foundation
import Testing

/// Issue 17 acceptance, without a database: Domain's RFC 5545 subset (occurrence starts over a
/// range, the period in force or next) against an independent oracle (`recurrence_oracle.py`:
/// python-dateutil's `rrulestr` and Python's zoneinfo) over thousands of random ranges and
/// instants in seven zones, with ranges around every clock change of 2026–2029.
@Suite struct RecurrenceOracleTests {
    static let from = Int64(1_767_225_600)  // 2026-01-01T00:00:00Z
    static let until = Int64(1_893_456_000)  // 2030-01-01T00:00:00Z

    /// UTC; US and UK rules; Lord Howe's 30-minute change; Chatham's change at 02:45; India (no
    /// change); Newfoundland's −3:30.
    static let zones = [
        "UTC", "America/Chicago", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata",
        "America/St_Johns",
    ]

    @Test func startsAndPeriodsAgreeWithDateutilAndZoneinfo() throws {
        var random = SplitMix64(seed: 17)
        var cases: [RecurrenceOracle.Case] = []
        for name in Self.zones {
            let zone = try #require(ScheduleZone(identifier: name))
            let changes = Self.transitions(name)
            for _ in 0..<48 {
                cases.append(try Self.randomCase(zone: zone, changes: changes, random: &random))
            }
        }
        let answer = try RecurrenceOracle.run(cases)
        try #require(answer.starts.count == cases.count && answer.periods.count == cases.count)
        var ranges = 0
        var periods = 0
        var occurrences = 0
        for (index, item) in cases.enumerated() {
            let label = "\(item.recurrence.zone.identifier) \(item.rule) from \(item.recurrence.start)"
            for (position, range) in item.ranges.enumerated() {
                let ours = item.recurrence.starts(from: Self.date(range.0), to: Self.date(range.1))
                    .map { Int64($0.timeIntervalSince1970) }
                let theirs = answer.starts[index][position]
                #expect(
                    ours == theirs, "\(label) in \(range): ours \(ours.prefix(8)), oracle \(theirs.prefix(8))"
                )
                ranges += 1
                occurrences += theirs.count
            }
            for (position, instant) in item.instants.enumerated() {
                let ours = item.recurrence.period(atOrAfter: Self.date(instant)).map {
                    (Int64($0.start.timeIntervalSince1970), Int64($0.end.timeIntervalSince1970))
                }
                let theirs = answer.periods[index][position]
                #expect(
                    ours.map { [$0.0, $0.1] } == theirs.map { [$0.0, $0.1] },
                    "\(label), duration \(item.recurrence.durationSeconds), at \(instant): ours \(String(describing: ours)), oracle \(String(describing: theirs))"
                )
                periods += 1
            }
        }
        #expect(
            ranges > 3000 && periods > 3000 && occurrences > 20_000, "\(ranges) \(periods) \(occurrences)")
    }

    /// A random rule of the subset (parts in random order), DTSTART in 2025–2027, a duration below
    /// the rule's shortest wall gap (often close to it, so clock changes make occurrences meet),
    /// 10 ranges (4 around clock changes) and 10 instants (some at occurrence edges).
    static func randomCase(zone: ScheduleZone, changes: [Int64], random: inout SplitMix64) throws
        -> RecurrenceOracle.Case
    {
        var parts = [Bool.random(using: &random) ? "FREQ=DAILY" : "FREQ=WEEKLY"]
        if Int.random(in: 0..<10, using: &random) < 4 {
            parts.append("INTERVAL=\(Int.random(in: 1...4, using: &random))")
        }
        if Int.random(in: 0..<10, using: &random) < 6 {
            let codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].shuffled(using: &random)
            parts.append(
                "BYDAY=" + codes.prefix(Int.random(in: 1...3, using: &random)).joined(separator: ","))
        }
        if Int.random(in: 0..<10, using: &random) < 8 {
            // Hours of the night the clocks change in, half of the time.
            let pool = Bool.random(using: &random) ? Array(0...3) : Array(0...23)
            let hours = Set(
                (0..<Int.random(in: 1...3, using: &random)).map { _ in pool.randomElement(using: &random)! })
            parts.append("BYHOUR=" + hours.map(String.init).joined(separator: ","))
        }
        if Int.random(in: 0..<10, using: &random) < 7 {
            let pool = [0, 15, 30, 45, Int.random(in: 0...59, using: &random)]
            let minutes = Set(
                (0..<Int.random(in: 1...2, using: &random)).map { _ in pool.randomElement(using: &random)! })
            parts.append("BYMINUTE=" + minutes.map(String.init).joined(separator: ","))
        }
        let text = parts.shuffled(using: &random).joined(separator: ";")
        guard case .success(let rule) = RecurrenceRule.parse(text) else {
            throw ZoneOracle.OracleFailure(message: "the generator made a rule that does not parse: \(text)")
        }
        let startDay = Int64.random(in: 20_089...21_000, using: &random)  // 2025-01-01 … 2027-07-01
        let second = Bool.random(using: &random) ? 0 : Int64.random(in: 0...59, using: &random)
        let start = LocalDateTime(
            localSeconds: startDay * 86_400 + Int64.random(in: 0..<1440, using: &random) * 60 + second)
        let probe = Recurrence(rule: rule, zone: zone, start: start, durationSeconds: 60)
        let gap = try #require(probe.shortestWallGap, "\(text) never occurs")
        let duration =
            Bool.random(using: &random)
            ? max(60, gap - Int64.random(in: 1...5400, using: &random))
            : Int64.random(in: 60...max(60, gap - 1), using: &random)
        let recurrence = Recurrence(
            rule: rule, zone: zone, start: start, durationSeconds: min(duration, gap - 1))
        var ranges: [(Int64, Int64)] = (0..<6).map { _ in
            let first = Int64.random(in: from..<until, using: &random)
            return (first, first + Int64.random(in: 3600...(45 * 86_400), using: &random))
        }
        for _ in 0..<4 {
            let change =
                changes.randomElement(using: &random) ?? Int64.random(in: from..<until, using: &random)
            ranges.append((change - 86_400 - Int64.random(in: 0...3600, using: &random), change + 86_400))
        }
        var instants = (0..<6).map { _ in Int64.random(in: from..<until, using: &random) }
        let sample = Int64.random(in: from..<until, using: &random)
        if let next = recurrence.period(atOrAfter: date(sample)) {
            let start = Int64(next.start.timeIntervalSince1970)
            let end = Int64(next.end.timeIntervalSince1970)
            instants += [start - 1, start, end - 1, end]
        }
        return RecurrenceOracle.Case(rule: text, recurrence: recurrence, ranges: ranges, instants: instants)
    }

    /// The zone's offset changes in 2026–2029, from Foundation (only to place ranges).
    static func transitions(_ name: String) -> [Int64] {
        guard let timeZone = TimeZone(identifier: name) else { return [] }
        var result: [Int64] = []
        var next = timeZone.nextDaylightSavingTimeTransition(after: date(from))
        while let change = next, change < date(until) {
            result.append(Int64(change.timeIntervalSince1970))
            next = timeZone.nextDaylightSavingTimeTransition(after: change)
        }
        return result
    }

    static func date(_ second: Int64) -> Date { Date(timeIntervalSince1970: Double(second)) }
}
