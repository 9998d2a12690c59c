import Foundation
import TestSupport
import Testing

/// `POST|GET /api/v1/services` and integrations (issue 4).
@Suite struct ServicesAPITests {
    @Test func serviceNamesFollowTheSameRuleAsAlertSenders() throws {
        let app = try TestApp()
        defer { app.stop() }
        let bad = try app.admin(
            "POST", "/api/v1/services",
            json:
                #"{"name":"my svc","description":"\#(String(repeating: "x", count: 1001))","critical_alert_incident_severity":"SEV9"}"#
        )
        #expect(bad.status == 422)
        let fields = (bad.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
        #expect(fields == ["name", "description", "critical_alert_incident_severity"])
        let good = try app.admin(
            "POST", "/api/v1/services",
            json: #"{"name":"payments-eu","critical_alert_incident_severity":"P1"}"#)
        #expect(good.status == 201)
        #expect(good.json["critical_alert_incident_severity"] as? String == "SEV1")
        #expect(try app.admin("POST", "/api/v1/services", json: #"{"name":"payments-eu"}"#).status == 409)
        #expect(try app.admin("GET", "/api/v1/services/payments-eu").json["name"] as? String == "payments-eu")
        #expect(try app.admin("GET", "/api/v1/services/nope").status == 404)
    }

    @Test func integrationKindIsCheckedAndTheRoutingKeyIsShownOnce() throws {
        let app = try TestApp()
        defer { app.stop() }
        #expect(try app.admin("POST", "/api/v1/services", json: #"{"name":"api"}"#).status == 201)
        let bad = try app.admin("POST", "/api/v1/services/api/integrations", json: #"{"kind":"email"}"#)
        #expect(bad.status == 422)
        let created = try app.admin(
            "POST", "/api/v1/services/api/integrations", json: #"{"kind":"pagerduty"}"#)
        #expect(created.status == 201)
        #expect(created.header("Cache-Control") == "no-store")
        let key = try #require(created.json["routing_key"] as? String)
        #expect(!(try app.admin("GET", "/api/v1/services/api").bodyText.contains(key)))
    }
}
