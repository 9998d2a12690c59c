import App
import Foundation
import TestSupport
import Testing

/// `POST /api/v1/incidents/{id}/status-updates` and the update-due reminder (issue 19, SPEC §13–§14).
@Suite struct StatusUpdatesAPITests {
    @Test func updatesRenderTheSeedsTemplatesAndPublicOnesNeedAPublicIncident() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("api")
        let incident = try app.declareIncident(
            #"{"title":"Checkout errors","severity":"SEV2","services":["api"],"commander":"alice","impact":"10% of users see errors at checkout"}"#
        )
        let ref = try #require(incident["ref"] as? String)
        let bad = try app.admin(
            "POST", "/api/v1/incidents/\(ref)/status-updates",
            json: #"{"status":"sleeping","body":"","next_update_minutes":0.01}"#)
        #expect(bad.status == 422)
        let fields = (bad.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
        #expect(Set(fields ?? []) == ["status", "body", "next_update_minutes"])
        let internalUpdate = try app.admin(
            "POST", "/api/v1/incidents/\(ref)/status-updates",
            json: #"{"status":"identified","body":"Bad deploy of payments 2.3"}"#)
        #expect(internalUpdate.status == 201)
        let rendered = try #require(internalUpdate.json["rendered"] as? String)
        let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "@channel - SEV-2 Incident")
        #expect(lines[1] == "Status: Identified")
        #expect(lines[2] == "Impact: 10% of users see errors at checkout")
        #expect(lines[3] == "Lead: @alice")
        #expect(lines[4].hasPrefix("Duration: ") && lines[4].hasSuffix(" minutes"))
        #expect(lines[5].hasPrefix("Next Update: ") && lines[5].hasSuffix(" UTC"))
        #expect(lines.last == "Bad deploy of payments 2.3")
        #expect(internalUpdate.json["public"] as? Bool == false)
        #expect(internalUpdate.json["next_update_minutes"] as? Double == 30)
        // The incident moved to the update's status.
        #expect(try app.admin("GET", "/api/v1/incidents/\(ref)").json["status"] as? String == "identified")

        let early = try app.admin(
            "POST", "/api/v1/incidents/\(ref)/status-updates",
            json: #"{"status":"identified","body":"We found it","public":true}"#)
        #expect(early.status == 409)
        _ = try app.admin("PATCH", "/api/v1/incidents/\(ref)", json: #"{"public":true}"#)
        let publicUpdate = try app.admin(
            "POST", "/api/v1/incidents/\(ref)/status-updates",
            json:
                #"{"status":"identified","body":"We're investigating reports of failed payments.","public":true,"next_update_minutes":15}"#
        )
        #expect(publicUpdate.status == 201)
        #expect(
            publicUpdate.json["rendered"] as? String
                == """
                api Experiencing Issues
                We're investigating reports of failed payments.
                Impact: 10% of users see errors at checkout
                Next update in 15 minutes
                """)
        let kinds = try app.incidentTimelineKinds(ref)
        #expect(kinds.filter { $0 == "status_update" }.count == 2)
        let events = try app.awaitEvents(2, query: "types=incident.status_update")
        #expect(events.count == 2)
        #expect(events.last?["data"].flatMap { ($0 as? [String: Any])?["public"] as? Bool } == true)
    }

    @Test func aPublicSEV1GetsOneReminderPerMissedInterval() throws {
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        let clock = StatusClock(start)
        let app = try TestApp(clock: { clock.now })
        defer { app.stop() }
        let job = UpdateDueJob(pool: app.pool, clock: { clock.now })
        try app.makeService("api")
        let ref = try #require(
            try app.declareIncident(#"{"title":"Down","severity":"SEV1","services":["api"]}"#)["ref"]
                as? String)
        let minor = try #require(
            try app.declareIncident(#"{"title":"Slow","severity":"SEV3","services":["api"]}"#)["ref"]
                as? String)
        let quiet = try #require(
            try app.declareIncident(#"{"title":"Private","severity":"SEV1","services":["api"]}"#)["ref"]
                as? String)
        _ = quiet
        _ = try app.admin("PATCH", "/api/v1/incidents/\(ref)", json: #"{"public":true}"#)
        _ = try app.admin("PATCH", "/api/v1/incidents/\(minor)", json: #"{"public":true}"#)
        func reminders(_ count: Int) throws -> [[String: Any]] {
            try app.awaitEvents(count, query: "types=incident.update_due")
        }
        clock.advance(by: 29 * 60)
        #expect(try job.runOnce() == 0)
        clock.advance(by: 2 * 60)
        #expect(try job.runOnce() == 1)
        #expect(try job.runOnce() == 0)
        // 95 minutes in: intervals 2 and 3 were missed, one event each.
        clock.advance(by: 64 * 60)
        #expect(try job.runOnce() == 2)
        let sent = try reminders(3)
        #expect(sent.count == 3)
        #expect(sent.allSatisfy { ($0["subject"] as? [String: Any])?["ref"] as? String == ref })
        // A public update restarts the clock, with its own interval.
        _ = try app.admin(
            "POST", "/api/v1/incidents/\(ref)/status-updates",
            json: #"{"status":"identified","body":"Found it","public":true,"next_update_minutes":0.05}"#)
        #expect(try job.runOnce() == 0)
        clock.advance(by: 3.5)
        #expect(try job.runOnce() == 1)
        // Two processes: each interval is claimed once.
        let other = UpdateDueJob(pool: app.pool, clock: { clock.now })
        clock.advance(by: 3)
        let counts = [try job.runOnce(), try other.runOnce()]
        #expect(counts.reduce(0, +) == 1)
        _ = try app.admin("POST", "/api/v1/incidents/\(ref)/resolve", json: #"{"resolution":"fixed"}"#)
        clock.advance(by: 600)
        #expect(try job.runOnce() == 0)
        #expect(try reminders(5).count == 5)
    }
}
