import Domain
import Foundation
import Testing

/// `POST /maintenance-windows` input (SPEC §12): every bad field named at once, one-off and
/// recurring windows, DTSTART on whole minutes, and where a window stands.
@Suite struct MaintenanceWindowValidationTests {
    static let now = utc("2026-12-07T10:00:30Z")

    static func fields(
        description: String? = "Database upgrade", services: [String]? = nil, startsAt: Date? = nil,
        endsAt: Date? = nil, rrule: String? = nil, timeZone: String? = nil, durationSeconds: Int64? = nil
    ) -> [String] {
        do {
            _ = try NewMaintenanceWindow.validate(
                description: description, services: services, isPublic: nil, startsAt: startsAt,
                endsAt: endsAt,
                rrule: rrule, timeZone: timeZone, durationSeconds: durationSeconds, now: now)
            return []
        } catch {
            return error.fields
        }
    }

    @Test func aOneOffWindowNeedsAStartBeforeAnEndInTheFuture() throws {
        let start = utc("2026-12-08T02:00:00Z")
        let window = try NewMaintenanceWindow.validate(
            description: " Upgrade ", services: ["api", " api", "7"], isPublic: true, startsAt: start,
            endsAt: start.addingTimeInterval(7200), rrule: nil, timeZone: nil, durationSeconds: nil,
            now: Self.now)
        #expect(window.description == "Upgrade" && window.isPublic && window.services == ["api", "7"])
        #expect(window.timing == .once(MaintenancePeriod(start: start, end: start.addingTimeInterval(7200))))
        #expect(Self.fields(startsAt: start, endsAt: start) == ["ends_at"])
        #expect(Self.fields(startsAt: start, endsAt: start.addingTimeInterval(-1)) == ["ends_at"])
        #expect(
            Self.fields(startsAt: utc("2026-12-01T00:00:00Z"), endsAt: utc("2026-12-07T10:00:00Z")) == [
                "ends_at"
            ])
        #expect(Self.fields(startsAt: start, endsAt: start.addingTimeInterval(32 * 86_400)) == ["ends_at"])
        #expect(Self.fields(endsAt: start) == ["starts_at"])
        #expect(Self.fields(startsAt: start) == ["ends_at"])
        #expect(
            Self.fields(
                description: nil, services: [""], startsAt: start, endsAt: start.addingTimeInterval(60),
                timeZone: "UTC", durationSeconds: 60) == [
                    "description", "services[0]", "time_zone", "duration_seconds",
                ])
    }

    @Test func aRecurringWindowNeedsARuleAZoneAndAPositiveDurationShorterThanItsGaps() throws {
        let seeds = try NewMaintenanceWindow.validate(
            description: "Weekly maintenance", services: [], isPublic: nil, startsAt: nil, endsAt: nil,
            rrule: "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0", timeZone: "UTC", durationSeconds: 7200,
            now: Self.now)
        let recurrence = try #require(seeds.timing.recurrence)
        // DTSTART is now rounded up to the whole minute, so occurrences fall on whole minutes.
        #expect(recurrence.start.description == "2026-12-07T10:01:00")
        #expect(seeds.startsAt == utc("2026-12-07T10:01:00Z"))
        #expect(
            seeds.timing.period(atOrAfter: Self.now)
                == MaintenancePeriod(start: utc("2026-12-13T02:00:00Z"), end: utc("2026-12-13T04:00:00Z")))
        let rule = "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0"
        #expect(Self.fields(rrule: "FREQ=HOURLY", timeZone: "UTC", durationSeconds: 60) == ["rrule"])
        #expect(Self.fields(rrule: rule, timeZone: "Mars/Olympus", durationSeconds: 60) == ["time_zone"])
        #expect(Self.fields(rrule: rule, durationSeconds: 60) == ["time_zone"])
        #expect(Self.fields(rrule: rule, timeZone: "UTC", durationSeconds: 0) == ["duration_seconds"])
        #expect(Self.fields(rrule: rule, timeZone: "UTC", durationSeconds: -5) == ["duration_seconds"])
        #expect(Self.fields(rrule: rule, timeZone: "UTC") == ["duration_seconds"])
        #expect(
            Self.fields(rrule: rule, timeZone: "UTC", durationSeconds: 40 * 86_400) == ["duration_seconds"])
        #expect(
            Self.fields(rrule: "FREQ=DAILY;BYHOUR=2,14;BYMINUTE=0", timeZone: "UTC", durationSeconds: 43_200)
                == ["duration_seconds"])
        #expect(
            Self.fields(
                endsAt: utc("2026-12-09T00:00:00Z"), rrule: rule, timeZone: "UTC", durationSeconds: 60)
                == ["ends_at"])
        #expect(
            Self.fields(rrule: "FREQ=WEEKLY;COUNT=2", timeZone: "Nowhere", durationSeconds: 0)
                == ["rrule", "time_zone", "duration_seconds"])
    }

    @Test func aRuleThatNeverOccursIsRefusedNamingTheRule() {
        // 2026-12-08 is a Tuesday: every 7th day from it is a Tuesday, never a Monday.
        #expect(
            Self.fields(
                startsAt: utc("2026-12-08T00:00:00Z"), rrule: "FREQ=DAILY;INTERVAL=7;BYDAY=MO",
                timeZone: "UTC",
                durationSeconds: 60) == ["rrule"])
    }

    @Test func stateFollowsTheClockAndCancellation() throws {
        let period = MaintenancePeriod(start: utc("2026-12-08T02:00:00Z"), end: utc("2026-12-08T04:00:00Z"))
        let once = MaintenanceTiming.once(period)
        #expect(
            MaintenanceWindowState.of(once, cancelled: false, at: utc("2026-12-08T01:59:59Z")) == .upcoming)
        #expect(MaintenanceWindowState.of(once, cancelled: false, at: period.start) == .active)
        #expect(MaintenanceWindowState.of(once, cancelled: false, at: period.end) == .past)
        #expect(MaintenanceWindowState.of(once, cancelled: true, at: period.start) == .past)
        let weekly = MaintenanceTiming.recurring(
            Recurrence(
                rule: try RecurrenceRuleTests.rule("FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0"), zone: .utc,
                start: wall("2026-12-01T00:00:00"), durationSeconds: 7200))
        #expect(
            MaintenanceWindowState.of(weekly, cancelled: false, at: utc("2026-12-13T03:00:00Z")) == .active)
        #expect(
            MaintenanceWindowState.of(weekly, cancelled: false, at: utc("2026-12-13T04:00:00Z")) == .upcoming)
    }
}
