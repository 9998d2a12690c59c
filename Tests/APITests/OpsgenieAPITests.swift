import Foundation
import TestSupport
import Testing

/// SPEC §12, §14 Opsgenie compatibility over raw HTTP: `GenieKey` and `?apiKey=`, the 202 and
/// request-status shapes, priorities, identifier types, heartbeat pings, and Opsgenie's error
/// shape on every failure of these routes.
@Suite struct OpsgenieAPITests {
    private func genie(
        _ app: TestApp, _ method: String, _ path: String, json: String? = nil, key: String
    ) throws -> RawHTTPResponse {
        try app.request(method, path, json: json, key: nil, headers: [("Authorization", "GenieKey \(key)")])
    }

    /// The stored outcome of an Opsgenie call, as the request-status route answers it.
    private func status(_ app: TestApp, _ answer: RawHTTPResponse, key: String) throws -> [String: Any] {
        let requestID = try #require(answer.json["requestId"] as? String)
        let status = try genie(app, "GET", "/v2/alerts/requests/\(requestID)", key: key)
        #expect(status.status == 200, "\(status.bodyText)")
        return status.json["data"] as? [String: Any] ?? [:]
    }

    @Test func onlyAnOpsgenieIntegrationsKeyActsOnOpsgenieAlerts() throws {
        let app = try TestApp()
        defer { app.stop() }
        let generic = try app.makeRoutingKey(service: "payments", kind: "generic")
        let refused = try genie(
            app, "POST", "/v2/alerts", json: #"{"message":"m","alias":"a"}"#, key: generic)
        #expect(refused.status == 403, "\(refused.bodyText)")
        #expect((refused.json["message"] as? String)?.contains("opsgenie") == true)
        let opsgenie = try app.makeRoutingKey(service: "payments", kind: "opsgenie")
        #expect(
            try genie(app, "POST", "/v2/alerts", json: #"{"message":"m","alias":"a"}"#, key: opsgenie).status
                == 202)
        let ack = try genie(
            app, "POST", "/v2/alerts/a/acknowledge?identifierType=alias", json: "{}", key: generic)
        #expect(ack.status == 403, "\(ack.bodyText)")
    }

    @Test func createAnswers202AndTheRequestStatusNamesTheAlert() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "payments", kind: "opsgenie")
        let created = try genie(
            app, "POST", "/v2/alerts",
            json: #"""
                {"message":"Payment API down","alias":"pay-down","description":"5xx on /charge","priority":"P1",
                 "source":"grafana","tags":["prod","payments"],"details":{"region":"eu-1"},"entity":"api-1",
                 "note":"Paging the payments on-call"}
                """#, key: key)
        #expect(created.status == 202, "\(created.bodyText)")
        #expect(created.json["result"] as? String == "Request will be processed")
        #expect(created.json["took"] is Double || created.json["took"] is Int)
        let data = try status(app, created, key: key)
        #expect(data["success"] as? Bool == true && data["isSuccess"] as? Bool == true)
        #expect(data["action"] as? String == "Create" && data["status"] as? String == "Created alert")
        #expect(data["alias"] as? String == "pay-down" && data["processedAt"] is String)
        #expect(data["integrationId"] as? String != nil)
        let alertID = try #require(data["alertId"] as? String)
        let alert = try app.alert(alertID)
        #expect(
            alert["summary"] as? String == "Payment API down" && alert["severity"] as? String == "critical")
        #expect(alert["service"] as? String == "payments" && alert["source"] as? String == "grafana")
        #expect(alert["dedup_key"] as? String == "pay-down" && alert["incident_id"] is Int)
        let details = alert["details"] as? [String: Any] ?? [:]
        #expect(
            details["description"] as? String == "5xx on /charge" && details["priority"] as? String == "P1")
        #expect(
            details["tags"] as? [String] == ["prod", "payments"] && details["entity"] as? String == "api-1")
        #expect((details["details"] as? [String: Any])?["region"] as? String == "eu-1")
        #expect(
            try app.alertTimeline(alertID).contains { $0["body"] as? String == "Paging the payments on-call" }
        )
        // The same alias again: the same alert, its count up (the alias is the dedup key).
        let again = try genie(
            app, "POST", "/v2/alerts", json: #"{"message":"Payment API down","alias":"pay-down"}"#, key: key)
        #expect(try status(app, again, key: key)["alertId"] as? String == alertID)
        #expect(try app.alert(alertID)["event_count"] as? Int == 2)
        #expect(
            try app.scalar("SELECT count(*) FROM audit_log WHERE action = 'POST /v2/alerts' AND status = 202")
                == 2)
    }

    @Test func prioritiesMapToSeveritiesAndAnAPIKeyMayUseTheQueryParameter() throws {
        let app = try TestApp()
        defer { app.stop() }
        let responder = try app.makeKey(role: .responder)
        let expected = [
            "P1": "critical", "P2": "error", "P3": "warning", "P4": "info", "P5": "info", "": "warning",
        ]
        for (priority, severity) in expected {
            let field = priority.isEmpty ? "" : #","priority":"\#(priority)""#
            let created = try app.request(
                "POST", "/v2/alerts?apiKey=\(responder)", json: #"{"message":"m \#(priority)"\#(field)}"#,
                key: nil)
            #expect(created.status == 202, "\(created.bodyText)")
            let alert = try app.alert(
                try #require(try status(app, created, key: responder)["alertId"] as? String))
            #expect(alert["severity"] as? String == severity, "\(priority)")
            // An API key names no service: alerts go to `opsgenie`, each a new alert without alias.
            #expect(alert["service"] as? String == "opsgenie" && alert["source"] as? String == "127.0.0.1")
        }
        #expect(try app.alerts().count == expected.count)
    }

    @Test func acknowledgeCloseAndNotesFindTheAlertByIdTinyOrAlias() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "api", kind: "opsgenie")
        let created = try genie(app, "POST", "/v2/alerts", json: #"{"message":"m","alias":"a-1"}"#, key: key)
        let id = try #require(try status(app, created, key: key)["alertId"] as? String)
        let ack = try genie(
            app, "POST", "/v2/alerts/\(id)/acknowledge?identifierType=id",
            json: #"{"user":"alice","note":"on it"}"#,
            key: key)
        #expect(ack.status == 202)
        #expect(try status(app, ack, key: key)["status"] as? String == "Acknowledged alert")
        let alert = try app.alert(id)
        #expect(
            alert["status"] as? String == "acknowledged" && alert["acknowledged_by"] as? String == "alice")
        let note = try genie(
            app, "POST", "/v2/alerts/ALR-\(id)/notes?identifierType=tiny", json: #"{"note":"db failover"}"#,
            key: key)
        #expect(note.status == 202)
        #expect(try status(app, note, key: key)["action"] as? String == "AddNote")
        #expect(try app.alertTimeline(id).contains { $0["body"] as? String == "db failover" })
        // Acknowledge and close with no body, by alias (as Alertmanager closes).
        #expect(
            try genie(app, "POST", "/v2/alerts/a-1/acknowledge?identifierType=alias", key: key).status == 202)
        let close = try genie(
            app, "POST", "/v2/alerts/a-1/close?identifierType=alias", json: #"{"source":"am"}"#, key: key)
        #expect(close.status == 202)
        #expect(try status(app, close, key: key)["status"] as? String == "Closed alert")
        #expect(try app.alert(id)["status"] as? String == "resolved")
        // The alias no open alert holds still finds its closed alert: closing again is a no-op.
        let again = try genie(app, "POST", "/v2/alerts/a-1/close?identifierType=alias", key: key)
        #expect(again.status == 202)
        #expect(try status(app, again, key: key)["status"] as? String == "Alert is already closed")
        let lateAck = try genie(app, "POST", "/v2/alerts/a-1/acknowledge?identifierType=alias", key: key)
        #expect(lateAck.status == 409 && lateAck.json["message"] is String)
    }

    @Test func errorsComeInOpsgeniesShapeNamingTheField() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "api", kind: "opsgenie")
        let bad = try genie(
            app, "POST", "/v2/alerts", json: #"{"message":"m","priority":"P9","tags":"x"}"#, key: key)
        #expect(bad.status == 422 && bad.header("Content-Type")?.hasPrefix("application/json") == true)
        let errors = bad.json["errors"] as? [String: String] ?? [:]
        #expect(
            Set(errors.keys) == ["priority", "tags"] && bad.json["requestId"] is String
                && bad.json["took"] != nil)
        #expect((bad.json["message"] as? String)?.contains("priority") == true && bad.json["type"] == nil)
        let noMessage = try genie(app, "POST", "/v2/alerts", json: #"{"alias":"x"}"#, key: key)
        #expect(
            noMessage.status == 422
                && (noMessage.json["errors"] as? [String: String])?.keys.sorted() == ["message"])
        let notJSON = try genie(app, "POST", "/v2/alerts", json: "{", key: key)
        #expect(notJSON.status == 400 && notJSON.json["message"] is String)
        let noKey = try app.request("POST", "/v2/alerts", json: #"{"message":"m"}"#, key: nil)
        #expect(
            noKey.status == 401
                && (noKey.json["message"] as? String)?.hasPrefix("Could not authenticate") == true)
        #expect(noKey.header("WWW-Authenticate")?.hasPrefix("GenieKey") == true)
        let unknownKey = try genie(
            app, "POST", "/v2/alerts", json: #"{"message":"m"}"#, key: String(repeating: "a", count: 32))
        #expect(
            unknownKey.status == 401
                && unknownKey.json["requestId"] as? String == unknownKey.header("X-Request-ID"))
        #expect(try genie(app, "POST", "/v2/alerts/nope/close?identifierType=alias", key: key).status == 404)
        let type = try genie(app, "POST", "/v2/alerts/1/close?identifierType=uuid", key: key)
        #expect(type.status == 422 && (type.json["errors"] as? [String: String])?["identifierType"] != nil)
        let request = try genie(
            app, "GET", "/v2/alerts/requests/00000000-0000-0000-0000-000000000000", key: key)
        #expect(request.status == 404 && request.json["message"] is String)
        let method = try genie(app, "DELETE", "/v2/alerts", key: key)
        #expect(method.status == 405 && method.json["message"] is String && method.header("Allow") != nil)
        // Calls incidentd does not offer (Alertmanager's update_alerts, alert reads) are 404 too.
        let unsupported = try genie(
            app, "POST", "/v2/alerts/a/message?identifierType=alias", json: "{}", key: key)
        #expect(unsupported.status == 404 && unsupported.json["message"] is String)
        // GenieKey is Opsgenie's: the native routes still want Bearer.
        #expect(try genie(app, "GET", "/api/v1/alerts", key: app.adminKey).status == 401)
        #expect(try app.request("GET", "/api/v1/alerts?apiKey=\(app.adminKey)", key: nil).status == 401)
    }

    @Test func aRoutingKeyActsOnlyOnItsOwnServicesAlerts() throws {
        let app = try TestApp()
        defer { app.stop() }
        let apiKey = try app.makeRoutingKey(service: "api", kind: "opsgenie")
        let dbKey = try app.makeRoutingKey(service: "db", kind: "opsgenie")
        let created = try genie(
            app, "POST", "/v2/alerts", json: #"{"message":"m","alias":"shared"}"#, key: apiKey)
        let id = try #require(try status(app, created, key: apiKey)["alertId"] as? String)
        #expect(try genie(app, "POST", "/v2/alerts/\(id)/close", key: dbKey).status == 403)
        // By alias, another service's alert is not found at all; nor is its request status.
        #expect(
            try genie(app, "POST", "/v2/alerts/shared/close?identifierType=alias", key: dbKey).status == 404)
        let requestID = try #require(created.json["requestId"] as? String)
        #expect(try genie(app, "GET", "/v2/alerts/requests/\(requestID)", key: dbKey).status == 404)
        #expect(try app.alert(id)["status"] as? String == "triggered")
        // An API key sees every service's aliases.
        let responder = try app.makeKey(role: .responder)
        #expect(
            try genie(app, "POST", "/v2/alerts/shared/close?identifierType=alias", key: responder).status
                == 202)
    }

    @Test func heartbeatPingsAnswerPongAndAnUnknownNameIs404() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "db", kind: "opsgenie")
        try app.makeHeartbeat("backup", service: "db")
        for method in ["GET", "POST", "PUT", "PATCH"] {
            let pong = try genie(app, method, "/v2/heartbeats/backup/ping", key: key)
            #expect(pong.status == 202, "\(method)")
            #expect(
                pong.json["result"] as? String == "PONG - Heartbeat received"
                    && pong.json["requestId"] is String)
        }
        let viaQuery = try app.request("GET", "/v2/heartbeats/backup/ping?apiKey=\(key)", key: nil)
        #expect(viaQuery.status == 202)
        let typo = try genie(app, "GET", "/v2/heartbeats/bakcup/ping", key: key)
        #expect(typo.status == 404 && typo.json["message"] as? String == "No heartbeat bakcup was found.")
        #expect(try app.admin("GET", "/api/v1/heartbeats/backup").json["state"] as? String == "healthy")
        #expect(
            try app.scalar(
                "SELECT count(*) FROM audit_log WHERE action LIKE '% /v2/heartbeats/{name}/ping' AND status = 202"
            ) == 5)
    }
}
