import Foundation
import TestSupport
import Testing

/// PagerDuty REST `GET /oncalls` and `Authorization: Token token=<key>` (issue 15, SPEC §10,
/// §14), checked with PagerDuty's own Python client (pdpyras 5.4.1, `scripts/compat`).
@Suite struct PagerDutyOnCallsTests {
    static let now = instant("2026-02-04T12:00:00Z")

    /// Ana, Ben, Cai on "primary" (weekly from Monday 2026-01-05 09:00 America/Chicago) and Dee
    /// alone on "secondary" (daily from 2026-01-01 09:00 UTC).
    func setUp() throws -> (app: TestApp, users: [Int64], primary: Int64, secondary: Int64) {
        let app = try TestApp(clock: { Self.now })
        let users = try ["Ana", "Ben", "Cai", "Dee"].map { try app.makeUser($0) }
        let primary = try app.makeSchedule([
            "name": "primary", "time_zone": "America/Chicago",
            "layers": [
                ["rotation": "weekly", "start": "2026-01-05T09:00:00", "participants": Array(users[0...2])]
            ],
        ])
        let secondary = try app.makeSchedule([
            "name": "secondary", "time_zone": "UTC",
            "layers": [["rotation": "daily", "start": "2026-01-01T09:00:00", "participants": [users[3]]]],
        ])
        return (app, users, primary, secondary)
    }

    @Test func pdpyrasIterAllOnCallsReturnsTheOnCallUserWithStartAndEnd() throws {
        let (app, users, primary, secondary) = try setUp()
        defer { app.stop() }
        let viewer = try app.makeKey(role: .viewer)
        let queries: [[String: Any]] = [
            ["params": ["schedule_ids[]": [String(primary)]]],
            // Three weeks, one entry per page: pdpyras follows limit/offset/more.
            [
                "params": [
                    "schedule_ids[]": [String(primary)], "since": "2026-02-04T12:00:00Z",
                    "until": "2026-02-20T00:00:00Z",
                ],
                "page_size": 1,
            ],
            ["params": ["user_ids[]": [String(users[3])]]],
            [
                "params": [
                    "since": "2026-02-04T12:00:00Z", "until": "2026-03-04T00:00:00Z", "earliest": "true",
                ]
            ],
            ["params": ["escalation_policy_ids[]": ["1"]]],
        ]
        let result = try CompatScript.run(
            "pagerduty_oncalls.py", ["http://127.0.0.1:\(app.port)", viewer, try jsonText(queries)])
        try #require(result.status == 0, "\(result.output)")
        let answers = try #require(
            try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[[String: Any]]])
        func summary(_ entries: [[String: Any]]) -> [String] {
            entries.map { entry in
                let user = entry["user"] as? [String: Any] ?? [:]
                let schedule = entry["schedule"] as? [String: Any] ?? [:]
                return
                    "\(user["summary"] ?? "?") \(schedule["summary"] ?? "?") \(entry["start"] ?? "?") \(entry["end"] ?? "?")"
            }
        }
        // Now: Ben, Monday Feb 2 09:00 CST to Monday Feb 9 09:00 CST.
        #expect(
            summary(answers[0]) == ["Ben primary 2026-02-02T15:00:00.000000Z 2026-02-09T15:00:00.000000Z"])
        let now = try #require(answers[0].first)
        #expect((now["user"] as? [String: Any])?["id"] as? String == String(users[1]))
        #expect((now["user"] as? [String: Any])?["type"] as? String == "user_reference")
        #expect((now["schedule"] as? [String: Any])?["type"] as? String == "schedule_reference")
        #expect(now["escalation_policy"] is NSNull && now["escalation_level"] is NSNull)
        #expect(
            summary(answers[1]) == [
                "Ben primary 2026-02-02T15:00:00.000000Z 2026-02-09T15:00:00.000000Z",
                "Cai primary 2026-02-09T15:00:00.000000Z 2026-02-16T15:00:00.000000Z",
                "Ana primary 2026-02-16T15:00:00.000000Z 2026-02-23T15:00:00.000000Z",
            ])
        // Dee alone on a daily rotation: one shift since the layer started, no end in sight.
        #expect(answers[2].count == 1)
        #expect((answers[2].first?["schedule"] as? [String: Any])?["id"] as? String == String(secondary))
        #expect(answers[2].first?["start"] as? String == "2026-01-01T09:00:00.000000Z")
        #expect(answers[2].first?["end"] is NSNull)
        // earliest: each user's first on-call per schedule (Ben, Cai, Ana; Dee).
        #expect(
            summary(answers[3]).map { $0.split(separator: " ").prefix(2).joined(separator: " ") } == [
                "Ben primary", "Cai primary", "Ana primary", "Dee secondary",
            ])
        #expect(answers[4].isEmpty)
    }

    @Test func pagingAnswersLimitOffsetMoreAndTotal() throws {
        let (app, _, primary, _) = try setUp()
        defer { app.stop() }
        let first = try app.admin(
            "GET",
            "/oncalls?schedule_ids%5B%5D=\(primary)&since=2026-02-04T12:00:00Z&until=2026-03-04T00:00:00Z&limit=2"
        )
        #expect(first.status == 200)
        #expect(first.json["limit"] as? Int == 2 && first.json["offset"] as? Int == 0)
        #expect(first.json["more"] as? Bool == true && first.json["total"] as? Int == 5)
        #expect((first.json["oncalls"] as? [Any])?.count == 2)
        let last = try app.admin(
            "GET",
            "/oncalls?schedule_ids[]=\(primary)&since=2026-02-04T12:00:00Z&until=2026-03-04T00:00:00Z&limit=2&offset=4"
        )
        #expect(last.json["more"] as? Bool == false && (last.json["oncalls"] as? [Any])?.count == 1)
        let bad = try app.admin(
            "GET", "/oncalls?since=2026-03-01T00:00:00Z&until=2026-02-01T00:00:00Z&limit=500&earliest=maybe")
        #expect(bad.status == 422)
        #expect(problemFields(bad) == ["until", "earliest", "limit"])
        #expect(
            problemFields(
                try app.admin("GET", "/oncalls?since=2026-01-01T00:00:00Z&until=2026-06-01T00:00:00Z")) == [
                    "until"
                ])
    }

    @Test func tokenAuthorizationWorksLikeBearerOnEveryRoute() throws {
        let (app, _, _, _) = try setUp()
        defer { app.stop() }
        let viewer = try app.makeKey(role: .viewer)
        for form in ["Token token=\(viewer)", "token token=\"\(viewer)\"", "TOKEN Token=\(viewer)"] {
            #expect(
                try app.request("GET", "/api/v1/schedules", key: nil, headers: [("Authorization", form)])
                    .status == 200, "\(form)")
        }
        #expect(
            try app.request(
                "GET", "/api/v1/incidents", key: nil, headers: [("Authorization", "Token token=\(viewer)")]
            ).status == 200)
        // Still a viewer: the role decides, not the scheme.
        let write = try app.request(
            "POST", "/api/v1/users", json: #"{"name":"X"}"#, key: nil,
            headers: [("Authorization", "Token token=\(viewer)")])
        #expect(write.status == 403)
        for malformed in ["Token \(viewer)", "Token key=\(viewer)", "Token token=", "Token token=a b"] {
            #expect(
                try app.request("GET", "/oncalls", key: nil, headers: [("Authorization", malformed)]).status
                    == 401, "\(malformed)")
        }
        #expect(
            try app.request("GET", "/oncalls", key: nil, headers: [("Authorization", "Token token=ikd_nope")])
                .status == 401)
    }
}
