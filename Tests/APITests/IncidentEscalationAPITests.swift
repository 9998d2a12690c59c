import Foundation
import TestSupport
import Testing

/// An incident's escalation through the API (issue 16, SPEC §11): the summary in the incident's
/// JSON, `GET /incidents/{id}/escalation` with every page, who each level has on call
/// (`GET /api/v1/oncall`, PagerDuty's `GET /oncalls`), and what chat says.
@Suite struct IncidentEscalationAPITests {
    static let now = instant("2026-02-04T12:00:00Z")

    /// Ana (email, webhook) on "primary" now; Ben (email) named directly; a policy of two steps
    /// (primary, then Ben) on service `payments`.
    func setUp() throws -> (app: TestApp, ana: Int64, ben: Int64, schedule: Int64, policy: Int64) {
        let app = try TestApp(clock: { Self.now })
        let ana = try app.makeUser("Ana", chatUser: "ana")
        let ben = try app.makeUser("Ben", chatUser: "ben")
        try app.makeContactMethod(ana, ["kind": "email", "to": "ana@example.com"])
        try app.makeContactMethod(ana, ["kind": "webhook", "url": "https://hooks.example.com/ana"])
        try app.makeContactMethod(ben, ["kind": "email", "to": "ben@example.com"])
        let schedule = try app.makeSchedule([
            "name": "primary", "time_zone": "UTC",
            "layers": [["rotation": "weekly", "start": "2026-01-01T00:00:00", "participants": [ana]]],
        ])
        let policy = try app.makePolicy([
            "name": "Platform ladder",
            "steps": [step(900, [("schedule", schedule)]), step(1800, [("user", ben)])],
        ])
        try app.makeService("payments", policy: policy)
        return (app, ana, ben, schedule, policy)
    }

    @Test func aSev1IncidentShowsItsEscalationAndEveryPageOfEachStep() throws {
        let (app, ana, _, _, policy) = try setUp()
        defer { app.stop() }
        let id = try app.declare("Checkout down", severity: "SEV1", services: ["payments"])
        let incident = try app.admin("GET", "/api/v1/incidents/\(id)")
        let summary = try #require(incident.json["escalation"] as? [String: Any])
        #expect(summary["state"] as? String == "active")
        #expect(summary["step"] as? Int == 0 && summary["loop"] as? Int == 1)
        #expect(summary["next_step_at"] as? String == "2026-02-04T12:00:00.000000Z")

        #expect(try app.escalationPass() == 1)
        let answer = try app.admin("GET", "/api/v1/incidents/INC-\(id)/escalation")
        #expect(answer.status == 200)
        #expect((answer.json["policy"] as? [String: Any])?["id"] as? Int == Int(policy))
        #expect(answer.json["state"] as? String == "active" && answer.json["step"] as? Int == 1)
        #expect(answer.json["next_step_at"] as? String == "2026-02-04T12:15:00.000000Z")
        let steps = try #require(answer.json["steps"] as? [[String: Any]])
        let paged = try #require(steps[0]["paged"] as? [[String: Any]])
        #expect(paged.count == 2)
        #expect(paged.allSatisfy { ($0["user"] as? [String: Any])?["id"] as? Int == Int(ana) })
        #expect(
            paged.compactMap { ($0["contact_method"] as? [String: Any])?["kind"] as? String } == [
                "email", "webhook",
            ])
        #expect(paged.allSatisfy { $0["state"] as? String == "pending" && $0["delivery_id"] is Int })
        #expect((steps[1]["paged"] as? [Any])?.isEmpty == true)
        // The pages are deliveries of the step's event (admin: URLs are secrets).
        let deliveries = try app.admin("GET", "/api/v1/deliveries")
        let pages = (deliveries.json["items"] as? [[String: Any]] ?? []).filter {
            $0["page"] is [String: Any]
        }
        #expect(
            pages.count == 2
                && pages.allSatisfy { $0["channel_id"] is NSNull && $0["contact_method_id"] is Int })

        let low = try app.declare("Cache misses", severity: "SEV3", services: ["payments"])
        #expect(try app.admin("GET", "/api/v1/incidents/\(low)").json["escalation"] is NSNull)
        #expect(try app.admin("GET", "/api/v1/incidents/\(low)/escalation").status == 404)
        #expect(try app.admin("GET", "/api/v1/incidents/999/escalation").status == 404)
    }

    @Test func acknowledgingStopsTheEscalationAndCancelsItsPendingPages() throws {
        let (app, _, _, _, _) = try setUp()
        defer { app.stop() }
        let id = try app.declare("Checkout down", severity: "SEV1", services: ["payments"])
        try app.escalationPass()
        #expect(try app.admin("POST", "/api/v1/incidents/\(id)/acknowledge", json: "{}").status == 200)
        let answer = try app.admin("GET", "/api/v1/incidents/\(id)/escalation")
        #expect(answer.json["state"] as? String == "acknowledged")
        #expect(answer.json["next_step_at"] is NSNull)
        #expect(answer.json["stop_reason"] as? String == "INC-\(id) acknowledged")
        let paged = (answer.json["steps"] as? [[String: Any]])?.first?["paged"] as? [[String: Any]] ?? []
        #expect(paged.count == 2 && paged.allSatisfy { $0["state"] as? String == "cancelled" })
        #expect(try app.escalationPass() == 0)
    }

    @Test func everyPolicyLevelsOnCallIsListedNativeAndInPagerDutysShape() throws {
        let (app, ana, ben, schedule, policy) = try setUp()
        defer { app.stop() }
        let native = try app.admin("GET", "/api/v1/oncall")
        #expect(native.status == 200)
        let levels = try #require(
            ((native.json["policies"] as? [[String: Any]])?.first)?["levels"] as? [[String: Any]])
        #expect(levels.map { $0["level"] as? Int } == [1, 2])
        let first = try #require((levels[0]["oncall"] as? [[String: Any]])?.first)
        #expect((first["user"] as? [String: Any])?["id"] as? Int == Int(ana))
        #expect((first["schedule"] as? [String: Any])?["id"] as? Int == Int(schedule))
        let second = try #require((levels[1]["oncall"] as? [[String: Any]])?.first)
        #expect((second["user"] as? [String: Any])?["id"] as? Int == Int(ben) && second["schedule"] is NSNull)

        let pagerDuty = try app.admin("GET", "/oncalls?escalation_policy_ids%5B%5D=\(policy)")
        let entries = try #require(pagerDuty.json["oncalls"] as? [[String: Any]])
        #expect(entries.map { $0["escalation_level"] as? Int } == [1, 2])
        #expect(
            entries.allSatisfy {
                ($0["escalation_policy"] as? [String: Any])?["type"] as? String
                    == "escalation_policy_reference"
                    && ($0["escalation_policy"] as? [String: Any])?["summary"] as? String == "Platform ladder"
            })
        #expect(entries[1]["schedule"] is NSNull && entries[1]["start"] is NSNull)
        // A schedule a policy names is listed under the policy, not again on its own.
        #expect((try app.admin("GET", "/oncalls").json["oncalls"] as? [Any])?.count == 2)
    }

    @Test func chatAckNamesWhoElseWasPagedAndStatusShowsTheEscalation() throws {
        let (app, _, _, _, _) = try setUp()
        defer { app.stop() }
        let id = try app.declare("Checkout down", severity: "SEV1", services: ["payments"])
        try app.escalationPass()
        let key = try app.makeKey(role: .responder, name: "chatbot")
        let status = try app.chat("status INC-\(id)", user: "ben", key: key)
        let statusText = try #require(status.json["text"] as? String)
        #expect(
            statusText.contains("Escalation (Platform ladder): active — step 1 of 2, loop 1 of 1; next step"))
        let ack = try app.chat("ack INC-\(id)", user: "ben", key: key)
        let text = try #require(ack.json["text"] as? String)
        #expect(
            text.contains("Escalation acknowledged at step 1 of Platform ladder; also paged: Ana (step 1)"))
        let after = try app.chat("status INC-\(id)", user: "ben", key: key)
        #expect(
            (after.json["text"] as? String)?.contains("acknowledged at step 1 of 2, loop 1 of 1 by ben")
                == true)
    }

    @Test func raisingAnIncidentToSev2ByPatchStartsItsPolicy() throws {
        let (app, _, _, _, _) = try setUp()
        defer { app.stop() }
        let id = try app.declare("Slow search", severity: "SEV4", services: ["payments"])
        let raised = try app.admin("PATCH", "/api/v1/incidents/\(id)", json: #"{"severity":"SEV2"}"#)
        #expect((raised.json["escalation"] as? [String: Any])?["state"] as? String == "active")
        #expect(try app.escalationPass() == 1)
    }
}
