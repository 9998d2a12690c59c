import Domain
import Foundation
import Testing

/// The RFC 5545 subset of SPEC §12: what parses, what is refused and why, and the rule's wall
/// times through clock changes (the schedules' rules, SPEC §10/§14).
@Suite struct RecurrenceRuleTests {
    static func rule(_ text: String) throws -> RecurrenceRule {
        switch RecurrenceRule.parse(text) {
        case .success(let rule): return rule
        case .failure(let error): throw error
        }
    }

    static func message(_ text: String) -> String? {
        if case .failure(let error) = RecurrenceRule.parse(text) { return error.message }
        return nil
    }

    @Test func theSeedsSundayRuleParsesAndPrintsCanonically() throws {
        let seeds = try Self.rule("FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0")
        #expect(seeds.frequency == .weekly && seeds.interval == 1)
        #expect(seeds.days == [.sunday] && seeds.hours == [2] && seeds.minutes == [0])
        #expect(seeds.description == "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0")
        // Any order, any case, a leading RRULE:, spaces around values, a trailing `;`.
        let spelled = try Self.rule("rrule:byminute=30,0;byhour=14, 2;interval=2;byday=fr,MO;freq=daily;")
        #expect(spelled.description == "FREQ=DAILY;INTERVAL=2;BYDAY=MO,FR;BYHOUR=2,14;BYMINUTE=0,30")
    }

    @Test func refusesWhatTheSubsetLacksAndSaysWhat() {
        #expect(Self.message("") == "is required")
        #expect(Self.message("BYDAY=SU")?.contains("FREQ=DAILY or FREQ=WEEKLY") == true)
        #expect(Self.message("FREQ=MONTHLY") == "FREQ must be DAILY or WEEKLY, not MONTHLY")
        #expect(Self.message("FREQ=WEEKLY;COUNT=3")?.hasPrefix("COUNT is not supported") == true)
        #expect(
            Self.message("FREQ=WEEKLY;UNTIL=20270101T000000Z")?.hasPrefix("UNTIL is not supported") == true)
        #expect(Self.message("FREQ=WEEKLY;WKST=SU")?.hasPrefix("WKST is not supported") == true)
        #expect(
            Self.message("FREQ=WEEKLY;COLOR=RED")?.hasPrefix("COLOR is not an RFC 5545 rule part") == true)
        #expect(Self.message("FREQ=WEEKLY;FREQ=DAILY") == "names FREQ twice")
        #expect(Self.message("FREQ=WEEKLY;BYDAY=1SU")?.contains("ordinal days") == true)
        #expect(Self.message("FREQ=WEEKLY;BYDAY=SUN") == "BYDAY must be a list of MO, TU, WE, TH, FR, SA, SU")
        #expect(Self.message("FREQ=DAILY;BYHOUR=24") == "BYHOUR must be a list of hours from 0 to 23")
        #expect(Self.message("FREQ=DAILY;BYHOUR=-1") == "BYHOUR must be a list of hours from 0 to 23")
        #expect(Self.message("FREQ=DAILY;BYMINUTE=60") == "BYMINUTE must be a list of minutes from 0 to 59")
        #expect(Self.message("FREQ=DAILY;BYMINUTE=") != nil)
        #expect(Self.message("FREQ=DAILY;INTERVAL=0") == "INTERVAL must be a whole number from 1 to 99")
        #expect(Self.message("FREQ=DAILY;INTERVAL=100") == "INTERVAL must be a whole number from 1 to 99")
        #expect(Self.message("FREQ=DAILY;;BYHOUR=2") != nil)
        #expect(Self.message("FREQ=DAILY BYHOUR=2") != nil)
        #expect(Self.message(String(repeating: "FREQ=DAILY;", count: 60)) == "must be at most 500 characters")
    }

    @Test func theSeedsWindowOccursEverySundayAtTwoUTCForTwoHours() throws {
        let recurrence = Recurrence(
            rule: try Self.rule("FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0"), zone: .utc,
            start: wall("2026-12-07T10:00:00"), durationSeconds: 7200)
        let starts = recurrence.starts(from: utc("2026-12-07T00:00:00Z"), to: utc("2027-01-04T00:00:00Z"))
        #expect(
            starts == [
                utc("2026-12-13T02:00:00Z"), utc("2026-12-20T02:00:00Z"), utc("2026-12-27T02:00:00Z"),
                utc("2027-01-03T02:00:00Z"),
            ])
        // Before, during and at the end of one occurrence.
        let sunday = MaintenancePeriod(start: utc("2026-12-13T02:00:00Z"), end: utc("2026-12-13T04:00:00Z"))
        #expect(recurrence.period(atOrAfter: utc("2026-12-09T12:00:00Z")) == sunday)
        #expect(recurrence.period(atOrAfter: utc("2026-12-13T03:59:59Z")) == sunday)
        #expect(
            recurrence.period(atOrAfter: utc("2026-12-13T04:00:00Z"))?.start == utc("2026-12-20T02:00:00Z"))
        #expect(recurrence.shortestWallGap == Int64(7 * 86_400))
        let overlapping = recurrence.occurrences(
            overlapping: utc("2026-12-13T03:00:00Z"), to: utc("2026-12-20T02:00:01Z"))
        #expect(overlapping.map(\.start) == [utc("2026-12-13T02:00:00Z"), utc("2026-12-20T02:00:00Z")])
    }

    @Test func aStartInTheSpringGapMovesToTheChangeAndAnAutumnRepeatTakesTheFirst() throws {
        let chicago = zone("America/Chicago")
        let nightly = Recurrence(
            rule: try Self.rule("FREQ=DAILY;BYHOUR=2;BYMINUTE=30"), zone: chicago,
            start: wall("2026-03-01T00:00:00"),
            durationSeconds: 3600)
        // 2026-03-08 02:30 does not exist in Chicago: 03:00 CDT (08:00Z), still one hour long.
        #expect(
            nightly.starts(from: utc("2026-03-07T00:00:00Z"), to: utc("2026-03-10T00:00:00Z")) == [
                utc("2026-03-07T08:30:00Z"), utc("2026-03-08T08:00:00Z"), utc("2026-03-09T07:30:00Z"),
            ])
        let repeated = Recurrence(
            rule: try Self.rule("FREQ=DAILY;BYHOUR=1;BYMINUTE=30"), zone: chicago,
            start: wall("2026-10-01T00:00:00"),
            durationSeconds: 1800)
        // 2026-11-01 01:30 happens twice: the first (CDT, 06:30Z).
        #expect(
            repeated.starts(from: utc("2026-11-01T00:00:00Z"), to: utc("2026-11-02T00:00:00Z")) == [
                utc("2026-11-01T06:30:00Z")
            ])
        // Two wall times in one skipped hour are one occurrence.
        let twice = Recurrence(
            rule: try Self.rule("FREQ=DAILY;BYHOUR=2;BYMINUTE=0,30"), zone: chicago,
            start: wall("2026-03-01T00:00:00"),
            durationSeconds: 600)
        #expect(
            twice.starts(from: utc("2026-03-08T07:00:00Z"), to: utc("2026-03-08T12:00:00Z")) == [
                utc("2026-03-08T08:00:00Z")
            ])
    }

    @Test func occurrencesTheClockChangeBringsTogetherAreOnePeriod() throws {
        // Daily at 00:00 London for 23.5 h: the spring day is 23 h long, so that night's two
        // occurrences meet and make one period; the next night they are apart again.
        let london = zone("Europe/London")
        let daily = Recurrence(
            rule: try Self.rule("FREQ=DAILY;BYHOUR=0;BYMINUTE=0"), zone: london,
            start: wall("2026-03-01T00:00:00"),
            durationSeconds: 84_600)
        #expect(daily.shortestWallGap == 86_400)
        let merged = try #require(daily.period(atOrAfter: utc("2026-03-29T12:00:00Z")))
        #expect(merged.start == utc("2026-03-29T00:00:00Z"))
        #expect(merged.end == utc("2026-03-29T23:00:00Z").addingTimeInterval(84_600))
        let after = try #require(daily.period(atOrAfter: merged.end))
        #expect(after.start == utc("2026-03-30T23:00:00Z"))
    }

    @Test func intervalsCountFromTheFirstDayAndWeek() throws {
        // Every other week from the week of Wednesday 2026-01-07 (weeks start on Monday).
        let fortnightly = Recurrence(
            rule: try Self.rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;BYHOUR=9;BYMINUTE=0"), zone: .utc,
            start: wall("2026-01-07T12:00:00"), durationSeconds: 3600)
        #expect(
            fortnightly.starts(from: utc("2026-01-01T00:00:00Z"), to: utc("2026-01-31T00:00:00Z")) == [
                utc("2026-01-09T09:00:00Z"), utc("2026-01-19T09:00:00Z"), utc("2026-01-23T09:00:00Z"),
            ])
        // Without BYHOUR/BYMINUTE/BYDAY the time and the weekday are DTSTART's.
        let bare = Recurrence(
            rule: try Self.rule("FREQ=WEEKLY"), zone: .utc, start: wall("2026-01-07T12:15:00"),
            durationSeconds: 60)
        #expect(
            bare.starts(from: utc("2026-01-01T00:00:00Z"), to: utc("2026-01-22T00:00:00Z")) == [
                utc("2026-01-07T12:15:00Z"), utc("2026-01-14T12:15:00Z"), utc("2026-01-21T12:15:00Z"),
            ])
        // A rule that starts years ahead is found there, however far `atOrAfter` is before it.
        let distant = Recurrence(
            rule: try Self.rule("FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0"), zone: .utc,
            start: wall("2031-06-01T12:00:00"), durationSeconds: 7200)
        #expect(distant.period(atOrAfter: utc("2026-12-08T00:00:00Z"))?.start == utc("2031-06-08T02:00:00Z"))
        // Every 7th day from a Tuesday never falls on a Monday.
        let never = Recurrence(
            rule: try Self.rule("FREQ=DAILY;INTERVAL=7;BYDAY=MO"), zone: .utc,
            start: wall("2026-01-06T00:00:00"),
            durationSeconds: 60)
        #expect(never.shortestWallGap == nil)
        #expect(never.period(atOrAfter: utc("2026-01-06T00:00:00Z")) == nil)
    }
}
