import Foundation
import TestSupport
import Testing

/// Issue 5 acceptance: the seed runbooks' three alert calls (seed 001) work with real `curl`,
/// as written apart from the host and the Authorization header.
@Suite struct RunbookAlertsAPITests {
    /// Runs `curl` with `arguments` and returns (HTTP status, body).
    static func curl(_ arguments: [String]) throws -> (status: Int, body: [String: Any]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sS", "-w", "\n%{http_code}"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? -1
        let body = lines.dropLast().joined(separator: "\n")
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        return (status, object)
    }

    @Test func seedRunbookCurlCallsTriggerAcknowledgeAndResolve() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "curl is needed for this test")
        let app = try TestApp()
        defer { app.stop() }
        let base = "http://127.0.0.1:\(app.port)"
        let auth = "Authorization: Bearer \(try app.makeKey(role: .responder, name: "runbook"))"
        // seed 001, "Test Slack integration".
        let trigger = try Self.curl([
            "-X", "POST", "\(base)/alerts/trigger", "-H", auth,
            "-H", "Content-Type: application/json",
            "-d",
            """
            {
                   "type": "info",
                   "title": "Test Alert",
                   "message": "Testing alert system",
                   "source": "monitoring-test"
                 }
            """,
        ])
        #expect(trigger.status == 201)
        let alertID = try #require(trigger.body["alertId"] as? String)
        let alert = trigger.body["alert"] as? [String: Any]
        #expect(alert?["severity"] as? String == "info" && alert?["service"] as? String == "runbook")
        #expect(
            alert?["summary"] as? String == "Test Alert" && alert?["source"] as? String == "monitoring-test")
        #expect((alert?["details"] as? [String: Any])?["message"] as? String == "Testing alert system")
        // seed 001, "Acknowledge the Alert".
        let ack = try Self.curl([
            "-X", "POST", "\(base)/alerts/acknowledge", "-H", auth,
            "-H", "Content-Type: application/json",
            "-d", #"{"alertId": "\#(alertID)", "userId": "YOUR_ID"}"#,
        ])
        #expect(ack.status == 200 && ack.body["status"] as? String == "acknowledged")
        #expect((ack.body["alert"] as? [String: Any])?["acknowledged_by"] as? String == "YOUR_ID")
        // seed 001, "Mark incident as resolved".
        let resolve = try Self.curl([
            "-X", "POST", "\(base)/alerts/resolve", "-H", auth,
            "-H", "Content-Type: application/json",
            "-d",
            """
            {
                   "alertId": "\(alertID)",
                   "userId": "YOUR_ID",
                   "resolution": "Issue resolved by [specific action taken]"
                 }
            """,
        ])
        #expect(resolve.status == 200 && resolve.body["status"] as? String == "resolved")
        #expect(
            (resolve.body["alert"] as? [String: Any])?["resolution"] as? String
                == "Issue resolved by [specific action taken]")
        let again = try Self.curl([
            "-X", "POST", "\(base)/alerts/resolve", "-H", auth, "-H", "Content-Type: application/json",
            "-d", #"{"alertId": "\#(alertID)", "userId": "YOUR_ID"}"#,
        ])
        #expect(again.status == 409)
    }

    @Test func runbookCallsValidateMapSeveritiesAndHoldRoutingKeysToTheirService() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let routingKey = try app.makeRoutingKey(service: "web", kind: "runbook")
        let otherKey = try app.makeRoutingKey(service: "batch", kind: "runbook")
        let p1 = try app.request(
            "POST", "/alerts/trigger", json: #"{"type":"P1","title":"Site down","source":"synthetics"}"#,
            key: routingKey)
        #expect(
            p1.status == 201 && (p1.json["alert"] as? [String: Any])?["severity"] as? String == "critical")
        #expect((p1.json["alert"] as? [String: Any])?["service"] as? String == "web")
        let repeatP1 = try app.request(
            "POST", "/alerts/trigger", json: #"{"type":"P1","title":"Site down","source":"synthetics"}"#,
            key: routingKey)
        #expect(repeatP1.status == 200 && repeatP1.json["deduplicated"] as? Bool == true)
        let id = try #require(p1.json["alertId"] as? String)
        let foreign = try app.request(
            "POST", "/alerts/acknowledge", json: #"{"alertId":"\#(id)","userId":"x"}"#, key: otherKey)
        #expect(foreign.status == 403)
        let numeric = try app.request(
            "POST", "/alerts/acknowledge", json: #"{"alertId":\#(id.dropFirst(4)),"userId":7}"#,
            key: routingKey)
        #expect(numeric.status == 200 && numeric.json["status"] as? String == "acknowledged")
        let invalid = try app.request("POST", "/alerts/trigger", json: #"{"type":"apocalyptic"}"#, key: key)
        #expect(invalid.status == 422 && Set(invalid.errorFields) == ["type", "title"])
        let noID = try app.request("POST", "/alerts/resolve", json: #"{"userId":"x"}"#, key: key)
        #expect(noID.status == 422 && noID.errorFields == ["alertId"])
        let missing = try app.request("POST", "/alerts/resolve", json: #"{"alertId":"ALR-9999"}"#, key: key)
        #expect(missing.status == 404)
        #expect(try app.request("POST", "/alerts/trigger", json: #"{"title":"x"}"#, key: nil).status == 401)
    }
}
