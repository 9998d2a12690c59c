import Foundation
import TestSupport
import Testing

/// SPEC §12 read-only mode (seed Playbook 4 "stop writes"): writes refused with 503 +
/// Retry-After on every process, reads go on, the switch itself stays writable.
@Suite struct ReadOnlyModeAPITests {
    private func setReadOnly(_ app: TestApp, _ enabled: Bool, retryAfter: Int = 7) throws -> RawHTTPResponse {
        try app.admin(
            "PUT", "/api/v1/admin/read-only",
            json:
                #"{"enabled": \#(enabled), "reason": "restoring from backup", "retry_after_seconds": \#(retryAfter)}"#
        )
    }

    private func trigger(_ app: TestApp, _ key: String) throws -> RawHTTPResponse {
        try app.request(
            "POST", "/api/v1/alerts",
            json: #"{"service":"api","source":"t","summary":"s","severity":"warning"}"#,
            key: key)
    }

    @Test func writesGet503WithRetryAfterWhileReadsAndTheSwitchItselfGoOn() throws {
        let app = try TestApp()
        defer { app.stop() }
        let on = try setReadOnly(app, true)
        #expect(on.status == 200 && on.json["enabled"] as? Bool == true)
        #expect(on.json["reason"] as? String == "restoring from backup")
        let refused = try trigger(app, app.adminKey)
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "7")
        #expect(refused.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        #expect((refused.json["detail"] as? String)?.contains("restoring from backup") == true)
        // Unauthenticated writes (PagerDuty's format carries its key in the body) too.
        let enqueue = try app.request("POST", "/v2/enqueue", json: "{}", key: nil)
        #expect(enqueue.status == 503)
        #expect(try app.admin("GET", "/api/v1/alerts").status == 200)
        let health = try app.request("GET", "/api/health", key: nil)
        #expect(health.json["read_only"] as? Bool == true)
        let off = try setReadOnly(app, false)
        #expect(off.status == 200 && off.json["enabled"] as? Bool == false)
        #expect(try trigger(app, app.adminKey).status == 201)
        #expect(try app.request("GET", "/api/health", key: nil).json["read_only"] as? Bool == false)
    }

    @Test func onlyAnAdminMayFlipTheSwitchAndBadFieldsAreNamed() throws {
        let app = try TestApp()
        defer { app.stop() }
        let responder = try app.makeKey(role: .responder)
        let forbidden = try app.request(
            "PUT", "/api/v1/admin/read-only", json: #"{"enabled": true}"#, key: responder)
        #expect(forbidden.status == 403)
        let bad = try app.admin(
            "PUT", "/api/v1/admin/read-only", json: #"{"reason": "x", "retry_after_seconds": 0}"#)
        #expect(bad.status == 422)
        let fields = (bad.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        #expect(Set(fields) == ["enabled", "retry_after_seconds"])
        let shown = try app.request("GET", "/api/v1/admin/read-only", key: responder)
        #expect(shown.status == 200 && shown.json["enabled"] as? Bool == false)
    }

    @Test func anotherProcessOnTheSameDatabaseRefusesWritesWithinASecond() throws {
        let first = try TestApp()
        defer { first.stop() }
        let second = try TestApp(sharing: first)
        defer { second.stop() }
        #expect(try trigger(second, first.adminKey).status == 201)
        let switched = Date()
        #expect(try setReadOnly(first, true).status == 200)
        var refusedAfter: TimeInterval?
        while Date().timeIntervalSince(switched) < 5 {
            if try trigger(second, first.adminKey).status == 503 {
                refusedAfter = Date().timeIntervalSince(switched)
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let elapsed = try #require(refusedAfter, "the second process never refused a write")
        #expect(elapsed < 1.0)
        #expect(try second.admin("GET", "/api/v1/alerts").status == 200)
        #expect(try setReadOnly(second, false).status == 200)
        let deadline = Date().addingTimeInterval(2)
        var accepted = false
        while !accepted && Date() < deadline {
            accepted = try trigger(first, first.adminKey).status == 200
            if !accepted { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(accepted, "the first process still refused writes after the switch-off")
    }

    @Test func realAlertmanagerKeepsAnAlertThroughReadOnlyModeAndItIsStoredOnce() throws {
        let app = try TestApp()
        defer { app.stop() }
        let routingKey = try app.makeRoutingKey(service: "am-read-only", kind: "alertmanager")
        let viewer = try app.makeKey(role: .viewer)
        let result = try CompatScript.run(
            "alertmanager.sh", ["http://127.0.0.1:\(app.port)", routingKey, viewer, app.adminKey])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("after read-only: the alert is stored exactly once"))
        #expect(result.output.contains("all Alertmanager checks passed"))
    }
}
