import Domain
import Foundation
import Testing

@Suite struct ScheduleZoneTests {
    @Test func aWallTimeThatDoesNotExistBecomesTheTransitionInstant() {
        // SPEC §14: 01:30 on 2026-03-29 in Europe/London → 02:00 BST (01:00Z).
        #expect(zone("Europe/London").instant(of: wall("2026-03-29T01:30:00")) == utc("2026-03-29T01:00:00Z"))
        // America/Chicago skips 02:00–03:00 on 2026-03-08: 03:00 CDT is 08:00Z.
        #expect(
            zone("America/Chicago").instant(of: wall("2026-03-08T02:30:00")) == utc("2026-03-08T08:00:00Z"))
        #expect(
            zone("America/Chicago").instant(of: wall("2026-03-08T02:00:00")) == utc("2026-03-08T08:00:00Z"))
        // Lord Howe moves 30 minutes: 02:00 → 02:30 (+10:30 → +11) on 2026-10-04.
        #expect(
            zone("Australia/Lord_Howe").instant(of: wall("2026-10-04T02:15:00"))
                == utc("2026-10-03T15:30:00Z"))
    }

    @Test func anAmbiguousWallTimeTakesItsFirstOccurrence() {
        // Europe/London shows 01:00–02:00 twice on 2026-10-25: first in BST (+1).
        #expect(zone("Europe/London").instant(of: wall("2026-10-25T01:30:00")) == utc("2026-10-25T00:30:00Z"))
        // America/Chicago shows 01:00–02:00 twice on 2026-11-01: first in CDT (−5).
        #expect(
            zone("America/Chicago").instant(of: wall("2026-11-01T01:30:00")) == utc("2026-11-01T06:30:00Z"))
        // Lord Howe shows 01:30–02:00 twice on 2026-04-05: first at +11.
        #expect(
            zone("Australia/Lord_Howe").instant(of: wall("2026-04-05T01:45:00"))
                == utc("2026-04-04T14:45:00Z"))
    }

    @Test func ordinaryWallTimesRoundTrip() {
        for name in ["America/Chicago", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"] {
            let rules = zone(name)
            for text in ["2026-01-15T09:00:00", "2026-07-01T23:59:59", "2027-12-31T00:00:00"] {
                let instant = rules.instant(of: wall(text))
                #expect(rules.local(at: instant) == wall(text), "\(name) \(text)")
            }
        }
        #expect(zone("Asia/Kolkata").instant(of: wall("2026-06-01T09:00:00")) == utc("2026-06-01T03:30:00Z"))
    }

    @Test(arguments: ["Mars/Olympus", "", "EST", "IST", "GMT+8", "Europe/London ", "../etc/passwd", "utc"])
    func namesThatAreNotIANAZonesAreRefused(name: String) {
        #expect(ScheduleZone(identifier: name) == nil)
    }

    @Test func wallTimesParseOnlyTheLocalFormat() {
        #expect(LocalDateTime(parsing: "2026-03-29T01:30:00")?.description == "2026-03-29T01:30:00")
        #expect(LocalDateTime(parsing: "2026-03-29T01:30")?.description == "2026-03-29T01:30:00")
        #expect(LocalDateTime(parsing: "2026-03-29 01:30:00") != nil)
        for bad in [
            "2026-03-29T01:30:00Z", "2026-02-30T00:00:00", "2026-03-29T24:00:00", "2026-3-29T01:30:00",
            "1969-12-31T00:00:00",
        ] {
            #expect(LocalDateTime(parsing: bad) == nil, "\(bad)")
        }
        #expect(wall("2026-01-05T09:00:00").weekday == .monday)
        #expect(wall("2028-02-29T12:00:00").weekday == .tuesday)
    }
}
