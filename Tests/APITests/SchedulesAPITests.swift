import Foundation
import TestSupport
import Testing

/// Schedules, overrides and who is on call over HTTP (issue 15, SPEC §10). The server's clock
/// is fixed at 2026-02-04 12:00 UTC, so "now" is a Wednesday of the fifth weekly shift.
@Suite struct SchedulesAPITests {
    static let now = instant("2026-02-04T12:00:00Z")

    /// Ana, Ben, Cai, Dee; "primary": weekly from Monday 2026-01-05 09:00 America/Chicago.
    func setUp() throws -> (app: TestApp, users: [Int64], schedule: Int64) {
        let app = try TestApp(clock: { Self.now })
        let users = try ["Ana", "Ben", "Cai", "Dee"].map { try app.makeUser($0) }
        let schedule = try app.makeSchedule([
            "name": "primary", "time_zone": "America/Chicago",
            "layers": [
                [
                    "name": "weekly", "rotation": "weekly", "start": "2026-01-05T09:00:00",
                    "participants": Array(users[0...2]),
                ]
            ],
        ])
        return (app, users, schedule)
    }

    @Test func whoIsOnCallNowUntilWhenAndWhoIsNext() throws {
        let (app, users, schedule) = try setUp()
        defer { app.stop() }
        // Hand-off 4 (Monday Feb 2, 09:00 CST = 15:00Z) went to Ben.
        let (user, answer) = try app.onCall(schedule)
        #expect(user == users[1])
        #expect(answer["start"] as? String == "2026-02-02T15:00:00.000000Z")
        #expect(answer["end"] as? String == "2026-02-09T15:00:00.000000Z")
        #expect(answer["source"] as? String == "layer" && answer["layer"] as? String == "weekly")
        let next = try #require(answer["next"] as? [String: Any])
        #expect(((next["user"] as? [String: Any])?["name"] as? String) == "Cai")
        #expect(next["at"] as? String == "2026-02-09T15:00:00.000000Z")
        // The same schedule by name; Monday 09:00 local across the March change is 14:00Z.
        let spring = try app.admin("GET", "/api/v1/schedules/primary/oncall?at=2026-03-09T14:30:00Z")
        #expect(spring.json["start"] as? String == "2026-03-09T14:00:00.000000Z")
        #expect(
            problemFields(try app.admin("GET", "/api/v1/schedules/\(schedule)/oncall?at=tomorrow")) == ["at"])
        #expect(try app.admin("GET", "/api/v1/schedules/nope/oncall").status == 404)
    }

    @Test func overridesWinNewestFirstAndDeletingOneRestoresWhatWasBelow() throws {
        let (app, users, schedule) = try setUp()
        defer { app.stop() }
        let path = "/api/v1/schedules/\(schedule)/overrides"
        let dee = try app.admin(
            "POST", path,
            json: #"{"user":\#(users[3]),"start":"2026-02-04T00:00:00Z","end":"2026-02-05T00:00:00Z"}"#)
        #expect(dee.status == 201)
        #expect(try app.onCall(schedule).user == users[3])
        #expect(try app.onCall(schedule).answer["source"] as? String == "override")
        let ana = try app.admin(
            "POST", path,
            json: #"{"user":{"id":\#(users[0])},"start":"2026-02-04T10:00:00Z","end":"2026-02-04T14:00:00Z"}"#
        )
        #expect(try app.onCall(schedule).user == users[0])
        #expect((try app.admin("GET", path).json["items"] as? [[String: Any]])?.count == 2)
        let anaID = try #require((ana.json["id"] as? NSNumber)?.int64Value)
        #expect(try app.admin("DELETE", "\(path)/\(anaID)").status == 204)
        #expect(try app.onCall(schedule).user == users[3])
        let deeID = try #require((dee.json["id"] as? NSNumber)?.int64Value)
        #expect(try app.admin("DELETE", "\(path)/\(deeID)").status == 204)
        #expect(try app.onCall(schedule).user == users[1])
        #expect(try app.admin("DELETE", "\(path)/\(deeID)").status == 404)
        // Bad overrides name their field.
        let backwards = try app.admin(
            "POST", path,
            json: #"{"user":\#(users[0]),"start":"2026-02-05T00:00:00Z","end":"2026-02-04T00:00:00Z"}"#)
        #expect(backwards.status == 422 && problemFields(backwards) == ["end"])
        let stranger = try app.admin(
            "POST", path, json: #"{"user":9999,"start":"2026-02-04T00:00:00Z","end":"2026-02-05T00:00:00Z"}"#)
        #expect(problemFields(stranger) == ["user"])
    }

    @Test func editingParticipantsKeepsThePersonOnCallNow() throws {
        let (app, users, schedule) = try setUp()
        defer { app.stop() }
        #expect(try app.onCall(schedule).user == users[1])
        // Same layer (matched by name), new order and a fourth person: Ben stays on until the
        // next hand-off, then the new order goes on after him: Ana, then Cai.
        let patched = try app.admin(
            "PATCH", "/api/v1/schedules/\(schedule)",
            json: try jsonText([
                "layers": [
                    [
                        "name": "weekly", "rotation": "weekly", "start": "2026-01-05T09:00:00",
                        "participants": [users[2], users[3], users[1], users[0]],
                    ]
                ]
            ]))
        #expect(patched.status == 200)
        #expect(try app.onCall(schedule).user == users[1])
        #expect(try app.onCall(schedule, at: "2026-02-10T12:00:00Z").user == users[0])
        #expect(try app.onCall(schedule, at: "2026-02-17T12:00:00Z").user == users[2])
        // The layer kept its id: sending the answer's layers back changes nothing.
        let layers = try #require(patched.json["layers"] as? [[String: Any]])
        let again = try app.admin(
            "PATCH", "/api/v1/schedules/\(schedule)", json: try jsonText(["layers": layers]))
        #expect(again.status == 200)
        #expect(try app.onCall(schedule, at: "2026-02-10T12:00:00Z").user == users[0])
    }

    @Test func badSchedulesAreRefusedNamingEveryField() throws {
        let (app, users, _) = try setUp()
        defer { app.stop() }
        let bad = try app.admin(
            "POST", "/api/v1/schedules",
            json: try jsonText([
                "name": "broken", "time_zone": "Mars/Olympus",
                "layers": [
                    [
                        "rotation": "weekly", "length": 0, "start": "2026-01-05T09:00:00",
                        "participants": [users[0], 9999],
                        "restriction": ["days": ["mon"], "from": "17:00", "to": "09:00"],
                    ]
                ],
            ]))
        #expect(bad.status == 422)
        #expect(
            problemFields(bad) == [
                "time_zone", "layers[0].length", "layers[0].participants[1]", "layers[0].restriction.to",
            ])
        #expect(
            try app.admin("POST", "/api/v1/schedules", json: #"{"name":"primary","time_zone":"UTC"}"#).status
                == 409)
        let notJSON = try app.admin(
            "POST", "/api/v1/schedules", json: #"{"name":"x","time_zone":"UTC","layers":[{"length":"long"}]}"#
        )
        #expect(notJSON.status == 400)
        #expect(notJSON.bodyText.contains("layers[0].length"))
    }

    @Test func shiftsAndTheCalendarFollowTheWallClock() throws {
        let (app, users, schedule) = try setUp()
        defer { app.stop() }
        let shifts = try app.admin(
            "GET", "/api/v1/schedules/\(schedule)/shifts?from=2026-03-02T00:00:00Z&to=2026-03-17T00:00:00Z")
        #expect(shifts.status == 200)
        let items = try #require(shifts.json["items"] as? [[String: Any]])
        #expect(
            items.map { $0["start"] as? String ?? "" } == [
                "2026-03-02T00:00:00.000000Z", "2026-03-02T15:00:00.000000Z", "2026-03-09T14:00:00.000000Z",
                "2026-03-16T14:00:00.000000Z",
            ])
        #expect(items.last?["end"] as? String == "2026-03-17T00:00:00.000000Z")
        #expect(shifts.json.keys.contains("next_cursor"))
        #expect(
            problemFields(
                try app.admin(
                    "GET",
                    "/api/v1/schedules/\(schedule)/shifts?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z"))
                == ["to"])
        #expect(
            problemFields(
                try app.admin(
                    "GET",
                    "/api/v1/schedules/\(schedule)/shifts?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z"))
                == ["to"])

        let calendar = try app.admin("GET", "/api/v1/schedules/\(schedule)/calendar.ics")
        #expect(calendar.status == 200)
        #expect(calendar.header("Content-Type") == "text/calendar; charset=utf-8")
        let text = calendar.bodyText
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(text.contains("SUMMARY:On call: Ben\r\n"))
        #expect(text.contains("DTSTART:20260202T150000Z\r\nDTEND:20260209T150000Z\r\n"))
        // 7 days back to 90 ahead: Jan 28 … May 5, weekly shifts: 15 events.
        #expect(text.components(separatedBy: "BEGIN:VEVENT").count - 1 == 15)
        _ = users
    }

    @Test func overridesWeeksAwayStillBoundTheShiftAroundNow() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let solo = try app.makeUser("Solo")
        let cover = try app.makeUser("Cover")
        let schedule = try app.makeSchedule([
            "name": "solo", "time_zone": "UTC",
            "layers": [["rotation": "weekly", "start": "2026-01-05T09:00:00", "participants": [solo]]],
        ])
        // Solo is on call forever; the only change is an override three weeks from now.
        let override = try app.admin(
            "POST", "/api/v1/schedules/\(schedule)/overrides",
            json: #"{"user":\#(cover),"start":"2026-02-25T12:00:00Z","end":"2026-02-26T12:00:00Z"}"#)
        #expect(override.status == 201)
        let (user, answer) = try app.onCall(schedule)
        #expect(user == solo)
        #expect(answer["start"] as? String == "2026-01-05T09:00:00.000000Z")
        #expect(answer["end"] as? String == "2026-02-25T12:00:00.000000Z")
        #expect(
            ((answer["next"] as? [String: Any])?["user"] as? [String: Any])?["name"] as? String == "Cover")
        // Inside the override, the shift is the override's, a day long.
        let during = try app.onCall(schedule, at: "2026-02-26T00:00:00Z").answer
        #expect(during["start"] as? String == "2026-02-25T12:00:00.000000Z")
        #expect(during["end"] as? String == "2026-02-26T12:00:00.000000Z")
    }

    @Test func aScheduleWithoutLayersHasNobodyOnCall() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let empty = try app.makeSchedule(["name": "empty", "time_zone": "Europe/London"])
        let (user, answer) = try app.onCall(empty)
        #expect(user == nil && answer["user"] is NSNull && answer["next"] is NSNull)
        let shifts = try app.admin("GET", "/api/v1/schedules/\(empty)/shifts")
        #expect((shifts.json["items"] as? [Any])?.isEmpty == true)
        #expect(try app.admin("DELETE", "/api/v1/schedules/empty").status == 204)
        #expect(try app.admin("GET", "/api/v1/schedules/\(empty)").status == 404)
    }
}
