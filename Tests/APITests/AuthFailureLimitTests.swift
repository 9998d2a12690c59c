import API
import Foundation
import HTTPServer
import TestSupport
import Testing

/// Issue 20: the failed-authentication limit refuses only what is not a valid credential, and
/// behind a trusted proxy counts the forwarded client, not the proxy.
@Suite struct AuthFailureLimitTests {
    static let badKey = "ikd_" + String(repeating: "b", count: 42)
    static let alertmanagerBody = """
        {"version":"4","groupKey":"{}:{alertname=\\"Disk\\"}","truncatedAlerts":0,"status":"firing",
         "receiver":"incidentd","groupLabels":{"alertname":"Disk"},"commonLabels":{},"commonAnnotations":{},
         "externalURL":"http://alertmanager:9093","alerts":[{"status":"firing",
         "labels":{"alertname":"Disk","severity":"warning","instance":"db-1"},
         "annotations":{"summary":"Disk filling on db-1"},"startsAt":"2026-11-22T10:00:00Z",
         "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus:9090/graph","fingerprint":"00000000000000aa"}]}
        """

    private func pagerDutyEvent(_ key: String, dedupKey: String) -> String {
        #"{"routing_key":"\#(key)","event_action":"trigger","dedup_key":"\#(dedupKey)","#
            + #""payload":{"summary":"disk full","source":"db-1","severity":"warning"}}"#
    }

    /// Sends bad keys until the address is over its budget (the 12th gets 429).
    private func exhaustBudget(_ app: TestApp, headers: [(String, String)] = []) throws -> [Int] {
        try (0..<12).map { _ in
            try app.request("GET", "/api/v1/services", key: Self.badKey, headers: headers).status
        }
    }

    @Test func afterManyBadKeysFromOneAddressValidNativeAlertmanagerAndPagerDutyKeysStillGet2xx() throws {
        let app = try TestApp()
        defer { app.stop() }
        let generic = try app.makeRoutingKey(service: "api", kind: "generic")
        let alertmanager = try app.makeRoutingKey(service: "db", kind: "alertmanager")
        let pagerDuty = try app.makeRoutingKey(service: "payments", kind: "pagerduty")
        let viewer = try app.makeKey(role: .viewer)
        let statuses = try exhaustBudget(app)
        #expect(Array(statuses.prefix(11)) == Array(repeating: 401, count: 11) && statuses[11] == 429)

        let native = try app.request(
            "POST", "/api/v1/alerts",
            json: #"{"source":"cron","summary":"backup late","severity":"warning"}"#, key: generic)
        #expect(native.status == 201 || native.status == 202, "\(native.status) \(native.bodyText)")
        let fromAlertmanager = try app.request(
            "POST", "/api/v1/integrations/alertmanager", json: Self.alertmanagerBody, key: alertmanager)
        #expect((200..<300).contains(fromAlertmanager.status), "\(fromAlertmanager.bodyText)")
        let fromPagerDuty = try app.request(
            "POST", "/v2/enqueue", json: pagerDutyEvent(pagerDuty, dedupKey: "pd-after-typos"), key: nil)
        #expect(fromPagerDuty.status == 202, "\(fromPagerDuty.bodyText)")
        #expect(try app.request("GET", "/api/v1/services", key: viewer).status == 200)

        // What is not a valid credential is still refused, with Retry-After.
        let unknown = try app.request("GET", "/api/v1/services", key: Self.badKey)
        #expect(unknown.status == 429 && Int(unknown.header("Retry-After") ?? "") ?? 0 > 0)
        #expect(try app.request("GET", "/api/v1/services", key: nil).status == 429)
        let wrongRoutingKey = try app.request(
            "POST", "/v2/enqueue",
            json: pagerDutyEvent("R" + String(repeating: "0", count: 31), dedupKey: "x"),
            key: nil)
        #expect(wrongRoutingKey.status == 429)
        // Refusals while over budget are audited as 429s.
        let audit = try app.request("GET", "/api/v1/audit?limit=500", key: app.adminKey).json
        let refusals = (audit["items"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? Int }
        #expect(refusals.contains(429))
    }

    @Test func behindATrustedProxyOneClientsTyposDoNotLockOutAnother() throws {
        let app = try TestApp(configure: {
            $0.trustedProxies = try! TrustedProxies.parse("127.0.0.0/8").get()
        })
        defer { app.stop() }
        let viewer = try app.makeKey(role: .viewer)
        let typist = [("X-Forwarded-For", "203.0.113.5")]
        let colleague = [("X-Forwarded-For", "198.51.100.7, 127.0.0.1")]
        let statuses = try exhaustBudget(app, headers: typist)
        #expect(statuses.last == 429)
        // Another client behind the same proxy has its own budget: a typo is a 401, not a 429...
        let typo = try app.request("GET", "/api/v1/services", key: Self.badKey, headers: colleague)
        #expect(typo.status == 401)
        // ...and its valid key works, as does the typist's own valid key.
        #expect(try app.request("GET", "/api/v1/services", key: viewer, headers: colleague).status == 200)
        #expect(try app.request("GET", "/api/v1/services", key: viewer, headers: typist).status == 200)

        let crossings = app.environment.authFailures.takeCrossings()
        #expect(crossings.map(\.address) == ["203.0.113.5"])
        let audit = try app.request("GET", "/api/v1/audit?limit=500", key: app.adminKey).json
        let addresses = Set(
            (audit["items"] as? [[String: Any]] ?? []).compactMap { $0["remote_address"] as? String })
        #expect(addresses.contains("203.0.113.5") && addresses.contains("198.51.100.7"))
        #expect(!addresses.contains("127.0.0.1"))
    }

    @Test func anUntrustedPeersXForwardedForIsIgnored() throws {
        let app = try TestApp(configure: { $0.trustedProxies = try! TrustedProxies.parse("10.0.0.0/8").get() }
        )
        defer { app.stop() }
        // Each typo claims another client; the peer is not a trusted proxy, so all count
        // against 127.0.0.1.
        var statuses: [Int] = []
        for index in 0..<12 {
            let claimed = [("X-Forwarded-For", "192.0.2.\(index + 1)")]
            statuses.append(
                try app.request("GET", "/api/v1/services", key: Self.badKey, headers: claimed).status)
        }
        #expect(statuses.last == 429)
        #expect(app.environment.authFailures.takeCrossings().map(\.address) == ["127.0.0.1"])
    }
}
