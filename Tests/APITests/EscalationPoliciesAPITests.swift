import Foundation
import TestSupport
import Testing

/// `/api/v1/escalation-policies`, `PATCH /api/v1/services/{id}` (issue 16, SPEC §11, §14): the
/// policy's life, its 409s, and bad input named field by field.
@Suite struct EscalationPoliciesAPITests {
    @Test func aPolicyIsCreatedReadEditedAssignedAndDeletedOnlyOnceNoServiceUsesIt() throws {
        let app = try TestApp()
        defer { app.stop() }
        let ana = try app.makeUser("Ana")
        let schedule = try app.makeSchedule(["name": "primary", "time_zone": "UTC"])
        let created = try app.admin(
            "POST", "/api/v1/escalation-policies",
            json: jsonText([
                "name": "Platform ladder",
                "steps": [step(900, [("schedule", schedule)]), step(1800, [("user", ana)])],
            ]))
        #expect(created.status == 201)
        let id = try #require((created.json["id"] as? NSNumber)?.int64Value)
        #expect(created.headers["Location"] == "/api/v1/escalation-policies/\(id)")
        #expect(created.json["repeat"] as? Int == 0)
        let steps = try #require(created.json["steps"] as? [[String: Any]])
        #expect(steps.map { $0["index"] as? Int } == [1, 2])
        #expect(steps.map { $0["delay_seconds"] as? Int } == [900, 1800])
        let firstTarget = try #require((steps[0]["targets"] as? [[String: Any]])?.first)
        #expect(firstTarget["type"] as? String == "schedule" && firstTarget["name"] as? String == "primary")

        #expect(
            try app.admin("GET", "/api/v1/escalation-policies/Platform%20ladder").json["id"] as? Int
                == Int(id))
        let list = try app.admin("GET", "/api/v1/escalation-policies")
        #expect((list.json["items"] as? [[String: Any]])?.count == 1)

        let edited = try app.admin(
            "PATCH", "/api/v1/escalation-policies/\(id)",
            json: jsonText(["repeat": 2, "steps": [step(60, [("user", ana)])]]))
        #expect(edited.status == 200)
        #expect(edited.json["repeat"] as? Int == 2 && (edited.json["steps"] as? [Any])?.count == 1)

        try app.makeService("payments", policy: nil)
        let assigned = try app.admin(
            "PATCH", "/api/v1/services/payments", json: #"{"escalation_policy":\#(id)}"#)
        #expect(assigned.status == 200 && assigned.json["escalation_policy"] as? Int == Int(id))
        #expect(
            try app.admin("GET", "/api/v1/escalation-policies/\(id)").json["services"] as? [String] == [
                "payments"
            ])
        let refused = try app.admin("DELETE", "/api/v1/escalation-policies/\(id)")
        #expect(refused.status == 409)
        #expect(refused.bodyText.contains("payments"))

        let cleared = try app.admin(
            "PATCH", "/api/v1/services/payments", json: #"{"escalation_policy":null}"#)
        #expect(
            cleared.json.keys.contains("escalation_policy") && cleared.json["escalation_policy"] is NSNull)
        #expect(try app.admin("DELETE", "/api/v1/escalation-policies/\(id)").status == 204)
        #expect(try app.admin("GET", "/api/v1/escalation-policies/\(id)").status == 404)
    }

    @Test func badPoliciesAreProblemsNamingEachField() throws {
        let app = try TestApp()
        defer { app.stop() }
        let ana = try app.makeUser("Ana")
        func fields(_ body: [String: Any]) throws -> (Int, [String]) {
            let response = try app.admin("POST", "/api/v1/escalation-policies", json: jsonText(body))
            #expect(response.headers["Content-Type"]?.hasPrefix("application/problem+json") == true)
            return (response.status, problemFields(response))
        }
        #expect(try fields(["name": "a", "steps": []]) == (422, ["steps"]))
        #expect(try fields(["name": "a"]) == (422, ["steps"]))
        #expect(try fields(["steps": [step(60, [("user", ana)])]]) == (422, ["name"]))
        #expect(
            try fields(["name": "a", "steps": [step(-1, [("user", ana)])]]) == (
                422, ["steps[0].delay_seconds"]
            ))
        #expect(
            try fields(["name": "a", "repeat": 10, "steps": [step(1, [("user", ana)])]]) == (422, ["repeat"]))
        #expect(
            try fields([
                "name": "a",
                "steps": [step(1, [("user", ana), ("schedule", 77)]), step(1, [("channel", 5)])],
            ])
                == (422, ["steps[0].targets[1].id", "steps[1].targets[0].id"]))
        #expect(
            try fields(["name": "a", "steps": [step(1, [("team", ana)])]]) == (
                422, ["steps[0].targets[0].type"]
            ))
        #expect(try fields(["name": "a", "steps": [step(1, [])]]) == (422, ["steps[0].targets"]))
        let wrongType = try app.admin(
            "POST", "/api/v1/escalation-policies",
            json: #"{"name":"a","steps":[{"delay_seconds":"soon","targets":[]}]}"#)
        #expect(wrongType.status == 400 && problemFields(wrongType) == ["steps[0].delay_seconds"])
        try app.makeService("payments", policy: nil)
        let unknown = try app.admin("PATCH", "/api/v1/services/payments", json: #"{"escalation_policy":42}"#)
        #expect(unknown.status == 422 && problemFields(unknown) == ["escalation_policy"])
        let viewer = try app.makeKey(role: .viewer)
        let forbidden = try app.request(
            "POST", "/api/v1/escalation-policies",
            json: jsonText(["name": "b", "steps": [step(1, [("user", ana)])]]),
            key: viewer)
        #expect(forbidden.status == 403)
        #expect(try app.request("GET", "/api/v1/escalation-policies", key: viewer).status == 200)
    }

    @Test func aPersonScheduleOrChannelAPolicyPagesCannotBeDeleted() throws {
        let app = try TestApp()
        defer { app.stop() }
        let ana = try app.makeUser("Ana")
        let schedule = try app.makeSchedule(["name": "primary", "time_zone": "UTC"])
        let channel = try #require(
            (try app.admin(
                "POST", "/api/v1/channels",
                json: #"{"name":"ops","kind":"webhook","url":"https://hooks.example.com/x"}"#
            ).json["id"] as? NSNumber)?.int64Value)
        _ = try app.makePolicy([
            "name": "Ladder",
            "steps": [step(60, [("user", ana), ("schedule", schedule), ("channel", channel)])],
        ])
        for path in ["/api/v1/users/\(ana)", "/api/v1/schedules/\(schedule)", "/api/v1/channels/\(channel)"] {
            let refused = try app.admin("DELETE", path)
            #expect(refused.status == 409, "\(path)")
            #expect(refused.bodyText.contains("Ladder"), "\(path)")
        }
    }
}
