import Foundation
import TestSupport
import Testing

/// Issue 15 acceptance: `calendar.ics`, expanded by the PyPI `icalendar` and
/// `recurring-ical-events` packages (`scripts/compat/ical_oncall.py`), agrees with
/// `oncall?at=` at every event edge and at hundreds of random instants, across clock changes.
@Suite struct ScheduleCalendarTests {
    @Test(arguments: [
        ("Europe/London", "2026-03-25T12:00:00Z"), ("America/Chicago", "2026-10-28T12:00:00Z"),
        ("Australia/Lord_Howe", "2026-09-30T12:00:00Z"),
    ])
    func calendarAgreesWithOnCallAcrossAClockChange(zone: String, now: String) throws {
        let clock = instant(now)
        let app = try TestApp(clock: { clock })
        defer { app.stop() }
        let users = try ["Ana Lead", "Ben, Senior", "Cai; Manager", "Dee"].map { try app.makeUser($0) }
        let schedule = try app.makeSchedule([
            "name": "primary", "time_zone": zone,
            "layers": [
                [
                    "name": "weekly", "rotation": "weekly", "start": "2026-01-05T09:00:00",
                    "participants": Array(users[0...2]),
                ],
                [
                    "name": "nights", "rotation": "daily", "start": "2026-01-01T01:30:00",
                    "participants": [users[3], users[0]],
                    "restriction": ["days": ["sat", "sun"], "from": "01:30", "to": "06:00"],
                ],
            ],
        ])
        for (user, start, hours) in [(users[2], 3.0, 30.0), (users[1], 20.0, 5.0), (users[3], -2.0, 1.5)] {
            let from = clock.addingTimeInterval(start * 86_400)
            let response = try app.admin(
                "POST", "/api/v1/schedules/\(schedule)/overrides",
                json: try jsonText([
                    "user": user, "start": ISO8601DateFormatter().string(from: from),
                    "end": ISO8601DateFormatter().string(from: from.addingTimeInterval(hours * 3600)),
                ]))
            try #require(response.status == 201)
        }
        let viewer = try app.makeKey(role: .viewer)
        // SPEC §14: the calendar covers 7 days back to 90 days ahead.
        let window = [clock.addingTimeInterval(-7 * 86_400), clock.addingTimeInterval(90 * 86_400)]
            .map { ISO8601DateFormatter().string(from: $0) }
        let result = try CompatScript.run(
            "ical_oncall.py", ["http://127.0.0.1:\(app.port)", viewer, String(schedule), "15"] + window)
        #expect(result.status == 0, "\(result.output)")
        // "agreed at N instants over M events": every edge plus the 400 random instants.
        let words = result.output.split(separator: " ")
        let instants = words.firstIndex(of: "at").flatMap { Int(words[$0 + 1]) } ?? 0
        let events = words.firstIndex(of: "over").flatMap { Int(words[$0 + 1]) } ?? 0
        #expect(instants > 400 + 2 * events && events > 20, "\(result.output)")
    }
}
