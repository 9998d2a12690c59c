import Foundation
import Postgres
import TestSupport
import Testing

/// Issue 5: PagerDuty Events API v2 (`/v2/enqueue`, `/v2/change/enqueue`) in PagerDuty's shapes.
@Suite struct PagerDutyAPITests {
    func event(_ key: String, _ action: String, dedupKey: String? = nil, payload: String? = nil) -> String {
        var fields = [#""routing_key":"\#(key)""#, #""event_action":"\#(action)""#]
        if let dedupKey { fields.append(#""dedup_key":"\#(dedupKey)""#) }
        if let payload { fields.append(#""payload":\#(payload)"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    @Test func idempotencyKeysOfTwoPagerDutySendersNeverCollide() throws {
        let app = try TestApp()
        defer { app.stop() }
        let first = try app.makeRoutingKey(service: "payments", kind: "pagerduty")
        let second = try app.makeRoutingKey(service: "search", kind: "pagerduty")
        let payload = #"{"summary":"disk full","source":"host1","severity":"warning"}"#
        for key in [first, second] {
            let response = try app.request(
                "POST", "/v2/enqueue", json: event(key, "trigger", dedupKey: "same", payload: payload),
                key: nil,
                headers: [("Idempotency-Key", "retry-1")])
            #expect(response.status == 202)
        }
        #expect(try app.alerts("service=payments").count == 1)
        #expect(try app.alerts("service=search").count == 1)
    }

    @Test func triggerAcknowledgeResolveAnswer202WithTheDedupKey() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "payments", kind: "pagerduty")
        let payload = """
            {"summary":"Example alert on host1","source":"host1","severity":"critical",
             "timestamp":"2015-07-17T08:42:58.315+0000","component":"postgres","group":"prod",
             "class":"deploy","custom_details":{"ping time":"1500ms","load avg":0.75}}
            """
        let trigger = try app.request(
            "POST", "/v2/enqueue", json: event(key, "trigger", dedupKey: "pd-1", payload: payload), key: nil)
        #expect(trigger.status == 202)
        #expect(trigger.json["status"] as? String == "success")
        #expect(trigger.json["message"] as? String == "Event processed")
        #expect(trigger.json["dedup_key"] as? String == "pd-1")
        let stored = try #require(try app.alerts("service=payments").first)
        #expect(stored["severity"] as? String == "critical" && stored["source"] as? String == "host1")
        let details = stored["details"] as? [String: Any]
        #expect((details?["custom_details"] as? [String: Any])?["ping time"] as? String == "1500ms")
        #expect(details?["component"] as? String == "postgres")
        let id = try #require(stored["id"] as? Int)
        let ack = try app.request(
            "POST", "/v2/enqueue", json: event(key, "acknowledge", dedupKey: "pd-1"), key: nil)
        #expect(ack.status == 202 && ack.json["dedup_key"] as? String == "pd-1")
        #expect(try app.alert(id)["status"] as? String == "acknowledged")
        let resolve = try app.request(
            "POST", "/v2/enqueue", json: event(key, "resolve", dedupKey: "pd-1"), key: nil)
        #expect(resolve.status == 202 && resolve.json["dedup_key"] as? String == "pd-1")
        #expect(try app.alert(id)["status"] as? String == "resolved")
        // Nothing open any more: PagerDuty drops these and still answers 202 with the key.
        for action in ["acknowledge", "resolve"] {
            let late = try app.request(
                "POST", "/v2/enqueue", json: event(key, action, dedupKey: "pd-1"), key: nil)
            #expect(late.status == 202 && late.json["dedup_key"] as? String == "pd-1", "\(action)")
        }
        let unknown = try app.request(
            "POST", "/v2/enqueue", json: event(key, "resolve", dedupKey: "never"), key: nil)
        #expect(unknown.status == 202 && unknown.json["dedup_key"] as? String == "never")
    }

    @Test func triggerWithoutDedupKeyAlwaysOpensANewAlertWithARandomKey() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "payments", kind: "pagerduty")
        let payload = #"{"summary":"Disk full","source":"db-1","severity":"warning"}"#
        let first = try app.request(
            "POST", "/v2/enqueue", json: event(key, "trigger", payload: payload), key: nil)
        let second = try app.request(
            "POST", "/v2/enqueue", json: event(key, "trigger", payload: payload), key: nil)
        let keys = [first, second].compactMap { $0.json["dedup_key"] as? String }
        #expect(first.status == 202 && second.status == 202)
        #expect(keys.count == 2 && keys[0] != keys[1] && keys[0].count == 32)
        #expect(try app.alerts("service=payments&status=open").count == 2)
    }

    @Test func invalidEventsGetPagerDutysOwn400() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "payments", kind: "pagerduty")
        let cases: [(String, String)] = [
            ("not json", "{"),
            ("no routing key", #"{"event_action":"trigger"}"#),
            ("short routing key", event("abc", "trigger")),
            ("unknown routing key", event(String(repeating: "z", count: 32), "trigger")),
            ("bad action", event(key, "explode")),
            ("ack without dedup key", event(key, "acknowledge")),
            ("trigger without payload", event(key, "trigger")),
            ("payload missing fields", event(key, "trigger", payload: #"{"severity":"urgent"}"#)),
            (
                "summary too long",
                event(
                    key, "trigger",
                    payload:
                        #"{"summary":"\#(String(repeating: "s", count: 1025))","source":"x","severity":"info"}"#
                )
            ),
            ("dedup key too long", event(key, "resolve", dedupKey: String(repeating: "d", count: 256))),
        ]
        for (name, body) in cases {
            let response = try app.request("POST", "/v2/enqueue", json: body, key: nil)
            #expect(response.status == 400, "\(name)")
            #expect(response.json["status"] as? String == "invalid event", "\(name)")
            #expect(response.json["message"] as? String == "Event object is invalid", "\(name)")
            #expect((response.json["errors"] as? [String])?.isEmpty == false, "\(name)")
        }
        let missing = try app.request(
            "POST", "/v2/enqueue", json: event(key, "trigger", payload: #"{"severity":"urgent"}"#), key: nil)
        #expect(
            (missing.json["errors"] as? [String] ?? []).sorted() == [
                "'payload.severity' must be one of critical, error, warning, info",
                "'payload.source' is missing or blank", "'payload.summary' is missing or blank",
            ])
        #expect(try app.alerts().isEmpty)
    }

    @Test func bodiesOverPagerDutysLimitAreRefused() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "payments", kind: "pagerduty")
        let padding = String(repeating: "p", count: 512 * 1024)
        let payload =
            #"{"summary":"big","source":"x","severity":"info","custom_details":{"blob":"\#(padding)"}}"#
        let response = try app.request(
            "POST", "/v2/enqueue", json: event(key, "trigger", payload: payload), key: nil)
        #expect(response.status == 400 && response.json["status"] as? String == "invalid event")
        #expect(try app.alerts().isEmpty)
    }

    @Test func changeEventsGoOnTheServiceTimelineAndNeverOpenAnAlert() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "payments", kind: "pagerduty")
        let body = """
            {"routing_key":"\(key)","payload":{"summary":"Deployed v1.2.3","source":"ci",
             "timestamp":"2020-07-17T08:42:58.315+0000","custom_details":{"build":2}},
             "links":[{"href":"https://ci.example/build/2","text":"Build"}]}
            """
        let response = try app.request("POST", "/v2/change/enqueue", json: body, key: nil)
        #expect(response.status == 202 && response.json["status"] as? String == "success")
        let entryID = try #require(response.json["id"] as? String)
        #expect(try app.alerts().isEmpty)
        let rows = try app.pool.withConnection { connection in
            try connection.query(
                "SELECT kind, body, occurred_at < now() - interval '1 year' AS backdated FROM timeline_entries WHERE id = \(Int64(entryID) ?? 0)"
            )
        }
        try #require(rows.count == 1)
        #expect(try rows[0].decode("kind", as: String.self) == "change_event")
        #expect(try rows[0].decode("body", as: String.self) == "Deployed v1.2.3")
        #expect(try rows[0].decode("backdated", as: Bool.self))
        let invalid = try app.request(
            "POST", "/v2/change/enqueue", json: #"{"routing_key":"\#(key)","payload":{}}"#, key: nil)
        #expect(
            invalid.status == 400
                && invalid.json["errors"] as? [String] == ["'payload.summary' is missing or blank"])
    }
}
