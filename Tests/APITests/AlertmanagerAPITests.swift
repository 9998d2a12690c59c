import Foundation
import Postgres
import TestSupport
import Testing

/// Issue 5: Alertmanager webhook v4 at `/api/v1/integrations/alertmanager`.
@Suite struct AlertmanagerAPITests {
    static let path = "/api/v1/integrations/alertmanager"

    /// A version-4 notification with `count` alerts of one group, all in `status`.
    func notification(count: Int, status: String, summaryPrefix: String = "Target down") -> String {
        let alerts = (0..<count).map { index in
            """
            {"status":"\(status)","labels":{"alertname":"TargetDown","instance":"node-\(index):9100",
             "severity":"\(index == 0 ? "page" : "warning")","job":"node"},
             "annotations":{"summary":"\(summaryPrefix) node-\(index)"},
             "startsAt":"2026-11-22T10:00:00.123456789Z",
             "endsAt":"\(status == "resolved" ? "2026-11-22T11:00:00Z" : "0001-01-01T00:00:00Z")",
             "generatorURL":"http://prometheus:9090/graph?g0.expr=up",
             "fingerprint":"\(String(format: "%016x", index + 1))"}
            """
        }
        return """
            {"version":"4","groupKey":"{}:{alertname=\\"TargetDown\\"}","truncatedAlerts":0,
             "status":"\(status)","receiver":"incidentd","groupLabels":{"alertname":"TargetDown"},
             "commonLabels":{"alertname":"TargetDown"},"commonAnnotations":{},
             "externalURL":"http://alertmanager:9093","alerts":[\(alerts.joined(separator: ","))]}
            """
    }

    @Test func groupedNotificationOfHundredAlertsIsOneRequestAndReplaysChangeNothing() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "nodes", kind: "alertmanager")
        let firing = notification(count: 100, status: "firing")
        let first = try app.request("POST", Self.path, json: firing, key: key)
        #expect(first.status == 200)
        #expect(first.json["triggered"] as? Int == 100)
        let alerts = try app.alerts("service=nodes")
        #expect(alerts.count == 100)
        let page = try #require(alerts.first { ($0["dedup_key"] as? String) == "0000000000000001" })
        #expect(
            page["severity"] as? String == "critical" && page["summary"] as? String == "Target down node-0")
        #expect(page["source"] as? String == "node-0:9100")
        #expect((page["details"] as? [String: Any])?["labels"] is [String: Any])
        // Alertmanager retries a notification it believes failed: the replay changes nothing.
        let replay = try app.request("POST", Self.path, json: firing, key: key)
        #expect(replay.status == 200 && replay.json["unchanged"] as? Int == 100)
        #expect(try app.alerts("service=nodes").allSatisfy { $0["event_count"] as? Int == 1 })
        let updated = try app.request(
            "POST", Self.path, json: notification(count: 2, status: "firing", summaryPrefix: "Still down"),
            key: key)
        #expect(updated.json["updated"] as? Int == 2)
        let resolved = notification(count: 100, status: "resolved")
        let resolve = try app.request("POST", Self.path, json: resolved, key: key)
        #expect(resolve.status == 200 && resolve.json["resolved"] as? Int == 100)
        #expect(try app.alerts("service=nodes&status=open").isEmpty)
        let again = try app.request("POST", Self.path, json: resolved, key: key)
        #expect(again.status == 200 && again.json["unchanged"] as? Int == 100)
        let refire = try app.request(
            "POST", Self.path, json: notification(count: 1, status: "firing"), key: key)
        #expect(refire.json["triggered"] as? Int == 1, "after resolve the fingerprint opens a new alert")
    }

    @Test func onlyRoutingKeysMaySendAndMessyContentIsCleanedNotRefused() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "nodes", kind: "alertmanager")
        let apiKey = try app.makeKey(role: .admin)
        #expect(
            try app.request("POST", Self.path, json: notification(count: 1, status: "firing"), key: nil)
                .status == 401)
        #expect(
            try app.request("POST", Self.path, json: notification(count: 1, status: "firing"), key: apiKey)
                .status == 401)
        let long = String(repeating: "y", count: 3000)
        let messy = """
            {"version":"4","status":"firing","alerts":[
             {"status":"firing","labels":{"alertname":"Bad\\u0000Name"},"annotations":{"summary":"\(long)"}},
             {"status":"firing","labels":{"alertname":"Line\\u0007Bell"},"fingerprint":""}]}
            """
        let response = try app.request("POST", Self.path, json: messy, key: key)
        #expect(response.status == 200 && response.json["triggered"] as? Int == 2)
        let stored = try app.alerts("service=nodes")
        #expect(stored.contains { ($0["summary"] as? String)?.count == 1024 })
        #expect(stored.contains { ($0["dedup_key"] as? String)?.hasPrefix("am-") == true })
    }

    @Test func unavailableDatabaseAnswers503WithRetryAfterNeverA4xx() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeRoutingKey(service: "nodes", kind: "alertmanager")
        app.pool.close()
        let response = try app.request(
            "POST", Self.path, json: notification(count: 3, status: "firing"), key: key)
        #expect(response.status == 503)
        #expect(response.header("Retry-After") != nil)
    }
}
