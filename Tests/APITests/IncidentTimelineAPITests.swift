import Foundation
import TestSupport
import Testing

/// Issue 6 timelines over HTTP: `GET|POST /api/v1/incidents/{id}/timeline`.
@Suite struct IncidentTimelineAPITests {
    @Test func notesAreBackDatableButNeverInTheFutureAndListInOccurredOrder() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder, name: "bot")
        let incident = try app.declareIncident(#"{"title":"Latency","severity":"SEV3"}"#)
        let id = try #require(incident["id"] as? Int)
        let earlier = RFC3339Text.ago(600)
        let note = try app.request(
            "POST", "/api/v1/incidents/INC-\(id)/timeline",
            json: #"{"body":"First report in #support","occurred_at":"\#(earlier)","by":"erin"}"#, key: key)
        #expect(note.status == 201)
        #expect(note.json["kind"] as? String == "note" && note.json["actor"] as? String == "erin")
        #expect(note.json["incident"] as? String == "INC-\(id)")
        let plain = try app.request(
            "POST", "/api/v1/incidents/\(id)/timeline", json: #"{"body":"Now"}"#, key: key)
        #expect(plain.status == 201 && plain.json["actor"] as? String == "bot")
        let future = try app.request(
            "POST", "/api/v1/incidents/\(id)/timeline",
            json: #"{"body":"Later","occurred_at":"\#(RFC3339Text.inOneHour())"}"#, key: key)
        #expect(future.status == 422 && future.errorFields == ["occurred_at"])
        let empty = try app.request(
            "POST", "/api/v1/incidents/\(id)/timeline", json: #"{"body":"  "}"#, key: key)
        #expect(empty.status == 422 && empty.errorFields == ["body"])
        let kind = try app.request(
            "POST", "/api/v1/incidents/\(id)/timeline", json: #"{"body":"x","kind":"escalated"}"#, key: key)
        #expect(kind.status == 422 && kind.errorFields == ["kind"])
        let badDate = try app.request(
            "POST", "/api/v1/incidents/\(id)/timeline", json: #"{"body":"x","occurred_at":"yesterday"}"#,
            key: key)
        #expect(badDate.status == 400 && badDate.errorFields == ["occurred_at"])
        let bodies = try app.incidentTimeline(id).compactMap { $0["body"] as? String }
        #expect(bodies == ["First report in #support", "SEV3 incident declared: Latency", "Now"])
        #expect(try app.admin("POST", "/api/v1/incidents/\(id)/resolve").status == 200)
        let afterResolve = try app.request(
            "POST", "/api/v1/incidents/\(id)/timeline", json: #"{"body":"Post-mortem scheduled"}"#, key: key)
        #expect(afterResolve.status == 201, "notes stay allowed after resolution")
    }

    @Test func timelinePagesWithCursorsAndEntriesCannotBeEditedThroughTheAPI() throws {
        let app = try TestApp()
        defer { app.stop() }
        let incident = try app.declareIncident(#"{"title":"Paging","severity":"SEV4"}"#)
        let id = try #require(incident["id"] as? Int)
        for index in 1...6 {
            #expect(
                try app.admin("POST", "/api/v1/incidents/\(id)/timeline", json: #"{"body":"n\#(index)"}"#)
                    .status == 201)
        }
        var bodies: [String] = []
        var path = "/api/v1/incidents/\(id)/timeline?limit=3"
        while true {
            let page = try app.admin("GET", path)
            #expect(page.status == 200)
            bodies += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["body"] as? String }
            guard let cursor = page.json["next_cursor"] as? String else {
                #expect(page.json["next_cursor"] is NSNull)
                break
            }
            path = "/api/v1/incidents/\(id)/timeline?limit=3&cursor=\(cursor)"
        }
        #expect(bodies == ["SEV4 incident declared: Paging", "n1", "n2", "n3", "n4", "n5", "n6"])
        #expect(try app.admin("GET", "/api/v1/incidents/\(id)/timeline?cursor=nope").status == 422)
        #expect(try app.admin("GET", "/api/v1/incidents/\(id)/timeline?limit=501").status == 422)
        #expect(try app.admin("GET", "/api/v1/incidents/999999/timeline").status == 404)
        for method in ["PATCH", "DELETE", "PUT"] {
            let response = try app.admin(method, "/api/v1/incidents/\(id)/timeline", json: "{}")
            #expect(response.status == 405, "\(method)")
        }
    }

    @Test func runbookFlowShowsEverythingInOrder() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("payments", criticalSeverity: "SEV1")
        let key = try app.makeKey(role: .responder, name: "runbook")
        let alert = try app.request(
            "POST", "/api/v1/alerts",
            json:
                #"{"service":"payments","source":"prometheus","summary":"Error rate 12%","severity":"critical"}"#,
            key: key)
        let incidentID = try #require(alert.json["incident_id"] as? Int)
        func post(_ path: String, _ json: String) throws -> Int {
            try app.request("POST", "/api/v1/incidents/\(incidentID)\(path)", json: json, key: key).status
        }
        #expect(try post("/acknowledge", #"{"by":"alice"}"#) == 200)
        #expect(
            try post("/status", #"{"status":"identified","message":"Bad deploy 4711","by":"alice"}"#) == 200)
        #expect(try post("/status", #"{"status":"monitoring","message":"Rolled back","by":"alice"}"#) == 200)
        #expect(try post("/resolve", #"{"resolution":"Rollback fixed it","by":"alice"}"#) == 200)
        #expect(
            try app.incidentTimelineKinds(incidentID) == [
                "alert_triggered", "created", "alert_attached", "acknowledged", "alert_acknowledged",
                "status_changed",
                "status_update", "status_changed", "status_update", "resolved", "alert_resolved",
            ])
        let detail = try app.admin("GET", "/api/v1/incidents/INC-\(incidentID)")
        #expect(
            detail.json["severity"] as? String == "SEV1" && detail.json["status"] as? String == "resolved")
        #expect(detail.json["channel"] as? String != nil)
    }
}
