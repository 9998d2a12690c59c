import API
import Foundation
import TestSupport
import Testing

/// A routing key works on the routes of its integration's kind only (issue 20): every kind
/// against every route that takes routing keys.
@Suite struct RoutingKeyKindTests {
    static let kinds = ["generic", "pagerduty", "alertmanager", "runbook"]

    /// `METHOD /pattern` → the kind it accepts, for every alert route a routing key may call.
    static let expectations: [(route: String, kind: String)] = [
        ("POST /api/v1/alerts", "generic"), ("POST /v2/enqueue", "pagerduty"),
        ("POST /v2/change/enqueue", "pagerduty"), ("POST /api/v1/integrations/alertmanager", "alertmanager"),
        ("POST /alerts/trigger", "runbook"), ("POST /alerts/acknowledge", "runbook"),
        ("POST /alerts/resolve", "runbook"),
    ]

    @Test func everyRouteThatTakesRoutingKeysNamesItsKind() {
        let routingKeyRoutes = Routes.all().filter {
            switch $0.access {
            case .routingKey, .roleOrRoutingKey, .credentialsInRequest: true
            default: false
            }
        }.map { "\($0.method.rawValue) \($0.pattern)" }
        // The Slack route checks a signature, not a routing key. Opsgenie's alert routes take
        // `opsgenie` keys (OpsgenieAPITests checks that); heartbeat pings take any routing key of
        // the heartbeat's own service (HeartbeatsAPITests).
        let opsgenie =
            [
                "/v2/alerts", "/v2/alerts/{identifier}/acknowledge", "/v2/alerts/{identifier}/close",
                "/v2/alerts/{identifier}/notes",
            ].map { "POST \($0)" } + ["GET /v2/alerts/requests/{requestId}"]
        let pings = ["/api/v1/heartbeats/{name}/ping", "/v2/heartbeats/{name}/ping"].flatMap { path in
            ["GET", "POST", "PUT", "PATCH"].map { "\($0) \(path)" }
        }
        let expected = Set(Self.expectations.map(\.route) + ["POST /api/v1/chat/slack"] + opsgenie + pings)
        #expect(Set(routingKeyRoutes) == expected)
    }

    @Test func aRoutingKeyIsAcceptedOnTheRoutesOfItsKindOnly() throws {
        let app = try TestApp()
        defer { app.stop() }
        #expect(try app.admin("POST", "/api/v1/services", json: #"{"name":"web"}"#).status == 201)
        var keys: [String: String] = [:]
        for kind in Self.kinds {
            let created = try app.admin(
                "POST", "/api/v1/services/web/integrations", json: #"{"name":"\#(kind)","kind":"\#(kind)"}"#)
            keys[kind] = try #require(created.json["routing_key"] as? String)
        }
        let alert = try app.request(
            "POST", "/api/v1/alerts", json: #"{"summary":"Down","source":"s"}"#, key: keys["generic"])
        let alertID = try #require(alert.json["id"].map { "ALR-\($0)" })
        for (route, accepted) in Self.expectations {
            let path = String(route.split(separator: " ")[1])
            let template = try #require(HostileInputSamples.bodies[route]).body
            for kind in Self.kinds {
                let key = try #require(keys[kind])
                let body = template.replacingOccurrences(of: "\"PD\"", with: "\"\(key)\"")
                    .replacingOccurrences(of: "ALR", with: alertID)
                    .replacingOccurrences(of: #""service":"api""#, with: #""service":"web""#)
                let inBody = path.hasPrefix("/v2/")
                let response = try app.request("POST", path, json: body, key: inBody ? nil : key)
                if kind == accepted {
                    #expect(
                        (200..<300).contains(response.status), "\(kind) on \(route): \(response.bodyText)")
                } else {
                    #expect(
                        response.status == (inBody ? 400 : 403), "\(kind) on \(route): \(response.status)")
                    #expect(
                        response.bodyText.contains("\(accepted) integrations only"), "\(kind) on \(route)")
                }
            }
        }
    }
}
