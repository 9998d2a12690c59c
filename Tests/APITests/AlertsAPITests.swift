import Foundation
import TestSupport
import Testing

/// Issue 5 native routes: `POST|GET /api/v1/alerts`, `GET /api/v1/alerts/{id}` and the status
/// codes of SPEC §3 and §4.
@Suite struct AlertsAPITests {
    @Test func newTriggerIs201WithLocationAndDerivedDedupKeyThenRepeatIs200Deduplicated() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let body = #"{"service":"api","source":"prometheus","summary":"High 5xx rate","severity":"error"}"#
        let created = try app.request("POST", "/api/v1/alerts", json: body, key: key)
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? Int)
        #expect(created.header("Location") == "/api/v1/alerts/\(id)")
        #expect(created.json["deduplicated"] as? Bool == false)
        #expect(created.json["ref"] as? String == "ALR-\(id)")
        let dedupKey = try #require(created.json["dedup_key"] as? String)
        #expect(dedupKey.hasPrefix("auto-"))
        for field in ["acknowledged_at", "resolved_by", "incident_id", "resolution"] {
            #expect(created.json[field] is NSNull, "\(field) is an explicit null")
        }
        let again = try app.request("POST", "/api/v1/alerts", json: body, key: key)
        #expect(again.status == 200)
        #expect(again.json["deduplicated"] as? Bool == true)
        #expect(again.json["id"] as? Int == id && again.json["event_count"] as? Int == 2)
        #expect(again.json["dedup_key"] as? String == dedupKey)
        #expect(again.header("Location") == nil)
        let services = try app.admin("GET", "/api/v1/services/api")
        #expect(services.status == 200, "the service was created on first use")
        // SPEC §3: a critical alert is grouped into an incident in the trigger's transaction.
        let critical = try app.request(
            "POST", "/api/v1/alerts",
            json: #"{"service":"api","source":"p","summary":"Down","severity":"critical"}"#,
            key: key)
        #expect(critical.status == 201)
        #expect((critical.json["incident"] as? String)?.hasPrefix("INC-") == true)
    }

    @Test func validationNamesEveryBadField() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let long = String(repeating: "x", count: 1025)
        let body = """
            {"service":"bad name!","summary":"\(long)","severity":"urgent","dedup_key":"",
             "details":[1],"links":[{"text":"no href"},{"href":"javascript:alert(1)"}]}
            """
        let response = try app.request("POST", "/api/v1/alerts", json: body, key: key)
        #expect(response.status == 422)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(
            Set(response.errorFields)
                == ["service", "source", "summary", "severity", "details", "links[0].href", "links[1].href"])
        let wrongType = try app.request("POST", "/api/v1/alerts", json: #"{"summary":42}"#, key: key)
        #expect(wrongType.status == 400 && wrongType.errorFields == ["summary"])
        #expect(try app.alerts().isEmpty, "nothing was stored")
    }

    @Test func acknowledgeAndResolveFollowTheStateMachine() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder, name: "oncall-bot")
        let id = try #require(
            try app.request(
                "POST", "/api/v1/alerts", json: #"{"service":"db","source":"pg","summary":"Replica lag"}"#,
                key: key
            ).json["id"] as? Int)
        let ack = try app.request(
            "POST", "/api/v1/alerts/ALR-\(id)/acknowledge", json: #"{"by":"jane","note":"on it"}"#, key: key)
        #expect(ack.status == 200 && ack.json["status"] as? String == "acknowledged")
        #expect(ack.json["acknowledged_by"] as? String == "jane")
        let ackAgain = try app.request("POST", "/api/v1/alerts/\(id)/acknowledge", key: key)
        #expect(ackAgain.status == 200 && ackAgain.json["acknowledged_by"] as? String == "jane", "no-op")
        let resolve = try app.request(
            "POST", "/api/v1/alerts/\(id)/resolve", json: #"{"resolution":"replica rebuilt"}"#, key: key)
        #expect(resolve.status == 200 && resolve.json["status"] as? String == "resolved")
        #expect(resolve.json["resolved_by"] as? String == "oncall-bot", "the key's name when no `by`")
        #expect(resolve.json["resolution"] as? String == "replica rebuilt")
        for action in ["acknowledge", "resolve"] {
            let late = try app.request("POST", "/api/v1/alerts/\(id)/\(action)", key: key)
            #expect(late.status == 409, "\(action) on a resolved alert")
            #expect(late.header("Content-Type") == "application/problem+json")
        }
        let kinds = try app.alertTimeline(id).compactMap { $0["kind"] as? String }
        #expect(kinds == ["alert_triggered", "alert_acknowledged", "alert_resolved"])
        let direct = try #require(
            try app.request(
                "POST", "/api/v1/alerts", json: #"{"service":"db","source":"pg","summary":"Other"}"#, key: key
            ).json["id"] as? Int)
        #expect(try app.request("POST", "/api/v1/alerts/\(direct)/resolve", key: key).status == 200)
        #expect(try app.request("POST", "/api/v1/alerts/99999/acknowledge", key: key).status == 404)
        #expect(try app.request("POST", "/api/v1/alerts/INC-\(id)/acknowledge", key: key).status == 404)
        let tooLong = String(repeating: "n", count: 10_001)
        let invalid = try app.request(
            "POST", "/api/v1/alerts/\(direct)/acknowledge", json: #"{"by":"a\nb","note":"\#(tooLong)"}"#,
            key: key)
        #expect(invalid.status == 422 && Set(invalid.errorFields) == ["by", "note"])
    }

    @Test func getByNumberOrRefAndListWithFiltersAndCursor() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        var ids: [Int] = []
        for (index, severity) in ["critical", "info", "critical", "warning", "critical"].enumerated() {
            let service = index < 3 ? "api" : "db"
            let body =
                #"{"service":"\#(service)","source":"s","summary":"A\#(index)","severity":"\#(severity)"}"#
            ids.append(
                try #require(
                    try app.request("POST", "/api/v1/alerts", json: body, key: key).json["id"] as? Int))
        }
        #expect(try app.alert(ids[0])["summary"] as? String == "A0")
        #expect(try app.alert("ALR-\(ids[1])")["summary"] as? String == "A1")
        #expect(try app.admin("GET", "/api/v1/alerts/nope").status == 404)
        _ = try app.request("POST", "/api/v1/alerts/\(ids[2])/resolve", key: key)
        let criticalOpen = try app.alerts("severity=critical&status=open").compactMap { $0["id"] as? Int }
        #expect(criticalOpen == [ids[4], ids[0]])
        #expect(try app.alerts("service=db").count == 2)
        #expect(try app.alerts("service=api,db&severity=critical,info").count == 4)
        #expect(try app.alerts("status=resolved").compactMap { $0["id"] as? Int } == [ids[2]])
        #expect(try app.alerts("since=2999-01-01T00:00:00Z").isEmpty)
        var seen: [Int] = []
        var cursor: String?
        repeat {
            let path = "/api/v1/alerts?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try app.admin("GET", path)
            #expect(page.status == 200)
            seen += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            cursor = page.json["next_cursor"] as? String
        } while cursor != nil
        #expect(seen == ids.reversed())
        let bad = try app.admin("GET", "/api/v1/alerts?status=sleeping&severity=meh&since=yesterday&limit=0")
        #expect(bad.status == 422 && Set(bad.errorFields) == ["status", "severity", "since", "limit"])
        #expect(try app.admin("GET", "/api/v1/alerts?cursor=garbage").status == 422)
    }

    @Test func alertTimelineTakesNotesAndPages() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let id = try #require(
            try app.request(
                "POST", "/api/v1/alerts", json: #"{"service":"api","source":"s","summary":"x"}"#, key: key
            )
            .json["id"] as? Int)
        let note = try app.request(
            "POST", "/api/v1/alerts/\(id)/timeline",
            json: #"{"body":"Saw this before the deploy","occurred_at":"2020-01-01T00:00:00Z","by":"jane"}"#,
            key: key)
        #expect(
            note.status == 201 && note.json["kind"] as? String == "note"
                && note.json["actor"] as? String == "jane")
        #expect(note.json["alert"] as? String == "ALR-\(id)")
        let entries = try app.alertTimeline(id)
        #expect(
            entries.compactMap { $0["kind"] as? String } == ["note", "alert_triggered"], "occurred order")
        let page = try app.admin("GET", "/api/v1/alerts/\(id)/timeline?limit=1")
        #expect((page.json["items"] as? [Any])?.count == 1 && page.json["next_cursor"] is String)
        let future = try app.request(
            "POST", "/api/v1/alerts/\(id)/timeline", json: #"{"occurred_at":"2999-01-01T00:00:00Z"}"#,
            key: key)
        #expect(future.status == 422 && Set(future.errorFields) == ["body", "occurred_at"])
    }

    @Test func rolesAndRoutingKeysAreHeldToTheirRights() throws {
        let app = try TestApp()
        defer { app.stop() }
        let viewer = try app.makeKey(role: .viewer)
        let routingKey = try app.makeRoutingKey(service: "payments")
        _ = try app.makeRoutingKey(service: "search")
        let body = #"{"source":"cron","summary":"Payout job failed"}"#
        #expect(try app.request("POST", "/api/v1/alerts", json: body, key: viewer).status == 403)
        #expect(try app.request("POST", "/api/v1/alerts", json: body, key: nil).status == 401)
        let sent = try app.request("POST", "/api/v1/alerts", json: body, key: routingKey)
        #expect(sent.status == 201 && sent.json["service"] as? String == "payments")
        let own = try app.request(
            "POST", "/api/v1/alerts", json: #"{"service":"payments","source":"cron","summary":"y"}"#,
            key: routingKey)
        #expect(own.status == 201)
        let other = try app.request(
            "POST", "/api/v1/alerts", json: #"{"service":"search","source":"cron","summary":"z"}"#,
            key: routingKey)
        #expect(other.status == 403)
        #expect(try app.alerts("service=search").isEmpty)
        let id = try #require(sent.json["id"] as? Int)
        // Routing keys are not API keys: routes for people do not know them.
        #expect(try app.request("POST", "/api/v1/alerts/\(id)/acknowledge", key: routingKey).status == 401)
        #expect(try app.request("GET", "/api/v1/alerts", key: routingKey).status == 401)
        #expect(try app.request("GET", "/api/v1/alerts", key: viewer).status == 200)
        #expect(try app.request("POST", "/api/v1/alerts/\(id)/acknowledge", key: viewer).status == 403)
    }
}
