import Foundation
import TestSupport
import Testing

/// Issue 6: `POST|GET /api/v1/incidents`, `GET|PATCH /api/v1/incidents/{id}` over a real server
/// and database, with the status codes of SPEC §4.
@Suite struct IncidentsAPITests {
    @Test func declareIs201WithLocationChannelAndSLADeadline() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("payments")
        let key = try app.makeKey(role: .responder, name: "alice")
        let response = try app.request(
            "POST", "/api/v1/incidents",
            json: #"""
                {"title":"Checkout 5xx on /pay","severity":"P0","summary":"Card payments fail","services":["payments"],
                 "detected_at":"2024-11-20T10:00:00Z","started_at":"2024-11-20T09:55:00Z","commander":"carol"}
                """#, key: key)
        #expect(response.status == 201)
        let id = try #require(response.json["id"] as? Int)
        #expect(response.header("Location") == "/api/v1/incidents/\(id)")
        #expect(response.json["ref"] as? String == "INC-\(id)")
        #expect(
            response.json["severity"] as? String == "SEV1"
                && response.json["status"] as? String == "investigating")
        #expect(response.json["channel"] as? String == "#incident-2024-11-20-checkout-5xx-on-pay")
        #expect(response.json["ack_due_at"] as? String == "2024-11-20T10:15:00.000000Z")
        #expect(response.json["services"] as? [String] == ["payments"])
        let sla = try #require(response.json["sla"] as? [String: Any])
        #expect(
            sla["state"] as? String == "breached" && sla["breached"] as? Bool == true, "detected days ago")
        #expect(response.json["sla_breached"] as? Bool == false, "the stored flag waits for the job")
        #expect(response.json["alerts"] as? [Any] != nil && response.json["alert_count"] as? Int == 0)
        #expect(response.json["latest_status_update"] is NSNull)
        for field in ["acknowledged_at", "resolved_at", "mitigated_at", "impact", "resolution"] {
            #expect(response.json[field] is NSNull, "\(field) is an explicit null")
        }
        let timeline = try app.incidentTimeline(id)
        #expect(
            timeline.first?["kind"] as? String == "created" && timeline.first?["actor"] as? String == "alice")
    }

    @Test func severityAliasesAreNormalised() throws {
        let app = try TestApp()
        defer { app.stop() }
        let cases = [
            "P0": "SEV1", "P1": "SEV1", "p2": "SEV2", "P3": "SEV3", "P4": "SEV4", "critical": "SEV1",
            "High": "SEV2", "medium": "SEV3", "low": "SEV4", "sev-2": "SEV2", "SEV 3": "SEV3", "4": "SEV4",
        ]
        for (given, expected) in cases {
            let incident = try app.declareIncident(#"{"title":"Alias \#(given)","severity":"\#(given)"}"#)
            #expect(incident["severity"] as? String == expected, "\(given)")
        }
        let bad = try app.admin("POST", "/api/v1/incidents", json: #"{"title":"x","severity":"P5"}"#)
        #expect(bad.status == 422 && bad.errorFields == ["severity"])
        let filtered = try app.admin("GET", "/api/v1/incidents?severity=P0,low&limit=500")
        let severities = (filtered.json["items"] as? [[String: Any]] ?? []).compactMap {
            $0["severity"] as? String
        }
        #expect(severities.count == 6 && Set(severities) == ["SEV1", "SEV4"])
    }

    @Test func invalidBodiesAre422NamingEveryBadField() throws {
        let app = try TestApp()
        defer { app.stop() }
        let future = RFC3339Text.inOneHour()
        let response = try app.admin(
            "POST", "/api/v1/incidents",
            json: #"""
                {"title":"","severity":"urgent","services":["nope","bad name"],"alert_ids":["INC-1", 999],
                 "detected_at":"\#(future)"}
                """#)
        #expect(response.status == 422)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(
            Set(response.errorFields) == ["title", "severity", "services[1]", "alert_ids[0]", "detected_at"])
        let unknown = try app.admin(
            "POST", "/api/v1/incidents",
            json: #"{"title":"x","severity":"SEV2","services":["ghost"],"alert_ids":[999]}"#)
        #expect(unknown.status == 422 && unknown.errorFields == ["services[0]"])
        let noAlert = try app.admin(
            "POST", "/api/v1/incidents", json: #"{"title":"x","severity":"SEV2","alert_ids":[999]}"#)
        #expect(noAlert.status == 422 && noAlert.errorFields == ["alert_ids[0]"])
        let order = try app.admin(
            "POST", "/api/v1/incidents",
            json:
                #"{"title":"x","severity":"SEV2","started_at":"2024-11-20T10:00:00Z","detected_at":"2024-11-20T09:00:00Z"}"#
        )
        #expect(order.status == 422 && order.errorFields == ["started_at"])
        let wrongType = try app.admin("POST", "/api/v1/incidents", json: #"{"title":["x"]}"#)
        #expect(wrongType.status == 400 && wrongType.errorFields == ["title"])
    }

    @Test func showAcceptsNumberOrRefAndUnknownIsNotFound() throws {
        let app = try TestApp()
        defer { app.stop() }
        let incident = try app.declareIncident(#"{"title":"DB down","severity":"SEV2"}"#)
        let id = try #require(incident["id"] as? Int)
        for path in ["\(id)", "INC-\(id)", "inc-\(id)"] {
            let response = try app.admin("GET", "/api/v1/incidents/\(path)")
            #expect(response.status == 200 && response.json["id"] as? Int == id, "\(path)")
        }
        for path in ["999999", "INC-999999", "ALR-\(id)", "abc", "-1"] {
            let response = try app.admin("GET", "/api/v1/incidents/\(path)")
            #expect(response.status == 404, "\(path)")
            #expect(response.header("Content-Type") == "application/problem+json")
        }
        for action in ["acknowledge", "resolve", "timeline"] {
            let response = try app.admin("POST", "/api/v1/incidents/999999/\(action)", json: #"{"body":"x"}"#)
            #expect(response.status == 404, "\(action)")
        }
        #expect(try app.admin("PATCH", "/api/v1/incidents/INC-999999", json: #"{"title":"x"}"#).status == 404)
    }

    @Test func listFiltersPagesAndFollowsChangesWithSince() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("payments")
        try app.makeService("search")
        var ids: [Int] = []
        for index in 0..<5 {
            let service = index % 2 == 0 ? "payments" : "search"
            let incident = try app.declareIncident(
                #"{"title":"Incident \#(index)","severity":"SEV3","services":["\#(service)"]}"#)
            ids.append(try #require(incident["id"] as? Int))
        }
        #expect(try app.admin("POST", "/api/v1/incidents/\(ids[0])/resolve").status == 200)
        var seen: [Int] = []
        var path = "/api/v1/incidents?status=open&limit=2"
        while true {
            let page = try app.admin("GET", path)
            #expect(page.status == 200)
            seen += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            guard let cursor = page.json["next_cursor"] as? String else { break }
            path = "/api/v1/incidents?status=open&limit=2&cursor=\(cursor)"
        }
        #expect(seen == [ids[4], ids[3], ids[2], ids[1]])
        func listed(_ query: String) throws -> [Int] {
            let response = try app.admin("GET", "/api/v1/incidents?\(query)")
            return (response.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
        }
        #expect(try listed("status=resolved") == [ids[0]])
        #expect(try listed("service=search") == [ids[3], ids[1]])
        #expect(try listed("status=investigating&service=payments") == [ids[4], ids[2]])
        let resolved = try app.admin("POST", "/api/v1/incidents/\(ids[0])/resolve")
        #expect(resolved.status == 409, "already resolved")
        let marker = try #require(
            try app.admin("GET", "/api/v1/incidents/\(ids[0])").json["updated_at"] as? String)
        Thread.sleep(forTimeInterval: 0.01)
        #expect(try app.admin("POST", "/api/v1/incidents/\(ids[3])/acknowledge").status == 200)
        #expect(try listed("since=\(marker)") == [ids[3], ids[0]], "changed at or after the marker")
        let bad = try app.admin(
            "GET", "/api/v1/incidents?status=closed&severity=P9&since=yesterday&limit=0&cursor=x")
        #expect(bad.status == 422 && Set(bad.errorFields) == ["status", "severity", "since", "limit"])
        #expect(try app.admin("GET", "/api/v1/incidents?cursor=bogus").status == 422)
    }

    @Test func patchEditsFieldsWithOneEntryEachAndRecomputesTheDeadline() throws {
        let app = try TestApp()
        defer { app.stop() }
        let incident = try app.declareIncident(
            #"{"title":"Slow search","severity":"SEV4","summary":"p99 up","detected_at":"2024-11-20T10:00:00Z"}"#
        )
        let id = try #require(incident["id"] as? Int)
        #expect(incident["ack_due_at"] as? String == "2024-11-21T10:00:00.000000Z")
        let patched = try app.admin(
            "PATCH", "/api/v1/incidents/INC-\(id)",
            json:
                #"{"title":"Search down","severity":"high","summary":null,"impact":"All searches fail","commander":"dana"}"#
        )
        #expect(patched.status == 200)
        #expect(
            patched.json["title"] as? String == "Search down" && patched.json["severity"] as? String == "SEV2"
        )
        #expect(patched.json["summary"] is NSNull && patched.json["commander"] as? String == "dana")
        #expect(patched.json["ack_due_at"] as? String == "2024-11-20T10:30:00.000000Z")
        let entries = try app.incidentTimeline(id).dropFirst()
        #expect(
            entries.compactMap { $0["kind"] as? String }
                == ["field_changed", "severity_changed", "field_changed", "field_changed", "assigned"])
        let title = try #require(entries.first?["data"] as? [String: Any])
        #expect(title["field"] as? String == "title" && title["from"] as? String == "Slow search")
        #expect(title["to"] as? String == "Search down")
        let same = try app.admin("PATCH", "/api/v1/incidents/\(id)", json: #"{"title":"Search down"}"#)
        #expect(same.status == 200)
        #expect(try app.incidentTimeline(id).count == 6, "an unchanged value writes nothing")
        let bad = try app.admin("PATCH", "/api/v1/incidents/\(id)", json: #"{"title":"","severity":"huge"}"#)
        #expect(bad.status == 422 && Set(bad.errorFields) == ["title", "severity"])
        #expect(try app.admin("POST", "/api/v1/incidents/\(id)/resolve").status == 200)
        let closed = try app.admin("PATCH", "/api/v1/incidents/\(id)", json: #"{"title":"Later"}"#)
        #expect(closed.status == 409)
    }

    @Test func rolesAreEnforced() throws {
        let app = try TestApp()
        defer { app.stop() }
        let viewer = try app.makeKey(role: .viewer)
        let incident = try app.declareIncident(#"{"title":"x","severity":"SEV3"}"#)
        let id = try #require(incident["id"] as? Int)
        #expect(try app.request("GET", "/api/v1/incidents", key: viewer).status == 200)
        #expect(try app.request("GET", "/api/v1/incidents/\(id)/timeline", key: viewer).status == 200)
        let create = try app.request(
            "POST", "/api/v1/incidents", json: #"{"title":"x","severity":"SEV3"}"#, key: viewer)
        #expect(create.status == 403)
        for action in ["acknowledge", "resolve", "status", "alerts", "timeline"] {
            let response = try app.request(
                "POST", "/api/v1/incidents/\(id)/\(action)", json: "{}", key: viewer)
            #expect(response.status == 403, "\(action)")
        }
        #expect(try app.request("GET", "/api/v1/incidents", key: nil).status == 401)
    }
}

/// RFC 3339 texts relative to now, for request bodies.
enum RFC3339Text {
    static func inOneHour() -> String {
        ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
    }

    static func ago(_ seconds: TimeInterval) -> String {
        ISO8601DateFormatter().string(from: Date().addingTimeInterval(-seconds))
    }
}
