import Domain
import Foundation
import Testing

/// Issue 15 acceptance, without a database: Domain's on-call answers against an independent
/// oracle (`oncall_oracle.py`: Python's zoneinfo over /usr/share/zoneinfo) at thousands of
/// random instants over 2026–2027, plus every minute around every clock change, in four zones.
@Suite struct ScheduleOracleTests {
    static let from = utc("2026-01-01T00:00:00Z")
    static let until = utc("2028-01-01T00:00:00Z")

    /// Per zone: a wall time in its spring gap and one in its autumn repeat.
    static let zones: [(name: String, gap: String, repeated: String, window: (Int, Int))] = [
        ("America/Chicago", "02:30:00", "01:30:00", (90, 150)),
        ("Europe/London", "01:30:00", "01:30:00", (75, 105)),
        ("Australia/Lord_Howe", "02:15:00", "01:45:00", (100, 140)),
        ("Asia/Kolkata", "02:30:00", "01:30:00", (90, 150)),
    ]

    @Test func onCallAgreesWithPythonsZoneinfoAtThousandsOfInstants() throws {
        var random = SplitMix64(seed: 15)
        var cases: [ZoneOracle.Case] = []
        for setup in Self.zones {
            let rules = zone(setup.name)
            let instants = Self.instants(in: rules, random: &random)
            cases.append(
                ZoneOracle.Case(
                    zone: rules, layers: Self.mixedLayers(setup), overrides: Self.overrides(&random),
                    instants: instants))
            cases.append(
                ZoneOracle.Case(
                    zone: rules, layers: Self.hourlyLayers(setup), overrides: [], instants: instants))
        }
        // Every shift of the first year, at its first second and its last: `shifts` agrees too.
        var shiftChecks: [[Int64]] = []
        for index in cases.indices {
            let schedule = OnCallSchedule(
                zone: cases[index].zone, layers: cases[index].layers, overrides: cases[index].overrides)
            let shifts = schedule.shifts(from: Self.from, to: Self.from.addingTimeInterval(365 * 86_400))
            var expected: [Int64] = []
            for shift in shifts {
                cases[index].instants += [
                    shift.start.timeIntervalSince1970, shift.end.timeIntervalSince1970 - 1,
                ]
                expected += [shift.userID, shift.userID]
            }
            shiftChecks.append(expected)
        }
        let answer = try ZoneOracle.run(cases, until: Self.until)
        try #require(answer.users.count == cases.count)
        var checked = 0
        for (index, item) in cases.enumerated() {
            let schedule = OnCallSchedule(zone: item.zone, layers: item.layers, overrides: item.overrides)
            var mismatches: [String] = []
            for (position, instant) in item.instants.enumerated() {
                let ours = schedule.onCall(at: Date(timeIntervalSince1970: instant))?.userID
                if ours != answer.users[index][position] {
                    mismatches.append(
                        "\(Date(timeIntervalSince1970: instant)): ours \(ours.map(String.init) ?? "nobody"), oracle \(answer.users[index][position].map(String.init) ?? "nobody")"
                    )
                }
                checked += 1
            }
            // The shift instants were appended last: the oracle must also name each shift's user.
            let shiftAnswers = answer.users[index].suffix(shiftChecks[index].count)
            #expect(
                Array(shiftAnswers) == shiftChecks[index].map { Optional($0) },
                "\(item.zone.identifier) case \(index) shifts")
            #expect(
                mismatches.isEmpty,
                "\(item.zone.identifier) case \(index): \(mismatches.count) mismatches, first: \(mismatches.prefix(5))"
            )
            for (layerIndex, layer) in item.layers.enumerated() {
                let ours = layer.handoffs(from: Date(timeIntervalSince1970: 0), to: Self.until, in: item.zone)
                    .map { Int64($0.timeIntervalSince1970) }
                #expect(
                    ours == answer.handoffs[index][layerIndex],
                    "\(item.zone.identifier) layer \(layerIndex) hand-offs")
            }
        }
        #expect(checked > 40_000)
    }

    @Test func shiftsOverAYearHaveNoGapsNoOverlapsAndAreMerged() {
        var random = SplitMix64(seed: 2026)
        for setup in Self.zones {
            let rules = zone(setup.name)
            // The weekly layer covers everything from its start; the rest mask and override it.
            let schedule = OnCallSchedule(
                zone: rules, layers: Self.mixedLayers(setup), overrides: Self.overrides(&random))
            let start = rules.instant(of: wall("2026-01-05T09:00:00"))
            let end = start.addingTimeInterval(365 * 86_400)
            let shifts = schedule.shifts(from: start, to: end)
            #expect(shifts.first?.start == start && shifts.last?.end == end, "\(setup.name)")
            for (earlier, later) in zip(shifts, shifts.dropFirst()) {
                #expect(earlier.end == later.start, "\(setup.name): gap or overlap at \(earlier.end)")
                #expect(earlier.userID != later.userID, "\(setup.name): unmerged at \(earlier.end)")
            }
            #expect(shifts.allSatisfy { $0.start < $0.end })
            #expect(shifts.count > 300, "\(setup.name): \(shifts.count)")
        }
    }

    /// Weekly primary; weekend days from a wall time in the gap; weekday evenings on a 5-hour
    /// rotation from a repeated wall time; a Sunday window around the clock change.
    static func mixedLayers(_ setup: (name: String, gap: String, repeated: String, window: (Int, Int)))
        -> [ScheduleLayer]
    {
        [
            layer(.weekly, start: "2026-01-05T09:00:00", participants: [1, 2, 3], name: "primary"),
            layer(
                .daily, start: "2026-01-01T\(setup.gap)", participants: [4, 5, 6],
                restriction: LayerRestriction(days: [.saturday, .sunday], fromMinute: 0, toMinute: 1440),
                name: "weekend"),
            layer(
                .hourly, length: 5, start: "2026-01-01T\(setup.repeated)", participants: [7, 8],
                restriction: LayerRestriction(
                    days: [.monday, .tuesday, .wednesday, .thursday, .friday], fromMinute: 18 * 60,
                    toMinute: 1440),
                name: "evenings"),
            layer(
                .daily, length: 3, start: "2026-02-01T\(setup.repeated)", participants: [9, 10, 11],
                restriction: LayerRestriction(
                    days: [.sunday], fromMinute: setup.window.0, toMinute: setup.window.1),
                anchor: RotationAnchor(handoff: 40, position: 1), name: "change night"),
        ]
    }

    /// Hourly hand-offs through every gap and repeat, with a moved anchor.
    static func hourlyLayers(_ setup: (name: String, gap: String, repeated: String, window: (Int, Int)))
        -> [ScheduleLayer]
    {
        [
            layer(
                .hourly, start: "2026-01-01T00:00:00", participants: [1, 2, 3],
                anchor: RotationAnchor(handoff: 100, position: 2)),
            layer(
                .hourly, length: 12, start: "2026-01-01T\(setup.gap)", participants: [4, 5],
                restriction: LayerRestriction(days: [.sunday], fromMinute: 0, toMinute: 6 * 60)),
        ]
    }

    /// 40 overrides of whole seconds, some overlapping, ids in creation order.
    static func overrides(_ random: inout SplitMix64) -> [ScheduleOverride] {
        (1...40).map { id in
            let start =
                from.timeIntervalSince1970 + Double(Int.random(in: 0..<(729 * 86_400), using: &random))
            let length = Double(Int.random(in: 3600...(3 * 86_400), using: &random))
            return ScheduleOverride(
                id: Int64(id), userID: Int64.random(in: 1...12, using: &random),
                start: Date(timeIntervalSince1970: start), end: Date(timeIntervalSince1970: start + length))
        }
    }

    /// 2,000 random instants (a quarter with a fraction of a second), and every minute (and the
    /// second before it) within three hours of each of the zone's clock changes.
    static func instants(in rules: ScheduleZone, random: inout SplitMix64) -> [Double] {
        var instants: [Double] = (0..<2000).map { index in
            let second =
                Double(Int.random(in: 0..<(730 * 86_400), using: &random)) + from.timeIntervalSince1970
            return index % 4 == 0 ? second + 0.25 : second
        }
        let timeZone = TimeZone(identifier: rules.identifier)!  // Invariant: ScheduleZone checked it.
        var transition = timeZone.nextDaylightSavingTimeTransition(after: from)
        while let change = transition, change < until {
            for minute in -180...180 {
                let instant = change.timeIntervalSince1970 + Double(minute * 60)
                instants += [instant, instant - 1]
            }
            transition = timeZone.nextDaylightSavingTimeTransition(after: change)
        }
        return instants
    }
}
