import Foundation
import TestSupport
import Testing

/// The chat command `oncall [schedule]` (issue 15, SPEC §10): who is on call and until when,
/// from the same computation as `GET /api/v1/schedules/{id}/oncall`.
@Suite struct ChatOnCallTests {
    static let now = instant("2026-02-04T12:00:00Z")

    @Test func onCallAnswersWhoIsOnCallUntilWhenAndWhoIsNext() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let users = try ["Ana", "Ben", "Cai"].map { try app.makeUser($0) }
        _ = try app.makeSchedule([
            "name": "Platform primary", "time_zone": "America/Chicago",
            "layers": [["rotation": "weekly", "start": "2026-01-05T09:00:00", "participants": users]],
        ])
        _ = try app.makeSchedule([
            "name": "weekends", "time_zone": "UTC",
            "layers": [
                [
                    "rotation": "daily", "start": "2026-01-03T00:00:00", "participants": [users[2]],
                    "restriction": ["days": ["sat", "sun"]],
                ]
            ],
        ])
        let key = try app.makeKey(role: .responder, name: "chatbot")
        let one = try app.chat("oncall platform PRIMARY", user: "alice", key: key)
        #expect(one.status == 200)
        #expect(
            one.json["text"] as? String
                == "Platform primary: Ben is on call until 2026-02-09 15:00 UTC (Mon 09:00 America/Chicago), then Cai."
        )
        let entry = try #require((one.json["oncall"] as? [[String: Any]])?.first)
        #expect((entry["user"] as? [String: Any])?["name"] as? String == "Ben")
        #expect(entry["until"] as? String == "2026-02-09T15:00:00.000000Z")
        #expect((entry["next"] as? [String: Any])?["name"] as? String == "Cai")
        #expect(one.json["changed"] as? Bool == false)

        let all = try app.chat("oncall", user: "alice", key: key)
        #expect(
            (all.json["text"] as? String)?.components(separatedBy: "\n") == [
                "Platform primary: Ben is on call until 2026-02-09 15:00 UTC (Mon 09:00 America/Chicago), then Cai.",
                "weekends: nobody is on call; Cai takes over at 2026-02-07 00:00 UTC (Sat 00:00 UTC).",
            ])

        let unknown = try app.chat("oncall tertiary", user: "alice", key: key)
        #expect(unknown.status == 404)
        #expect(unknown.json["error"] as? String == "not_found")
    }
}
