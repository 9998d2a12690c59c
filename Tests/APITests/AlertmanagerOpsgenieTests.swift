import Foundation
import TestSupport
import Testing

/// Issue 17 acceptance: a real Prometheus Alertmanager set up for Opsgenie (`opsgenie_configs`
/// with `api_url` pointed here, the routing key as `api_key`) fires and resolves an alert here,
/// and its Watchdog webhook with `GenieKey` keeps a heartbeat pinged
/// (`scripts/compat/alertmanager_opsgenie.sh`). Alertmanager is a test dependency: missing, the
/// test fails.
@Suite struct AlertmanagerOpsgenieTests {
    @Test func realAlertmanagerWithOpsgenieConfigsFiresResolvesAndPingsTheWatchdogHeartbeat() throws {
        let app = try TestApp()
        defer { app.stop() }
        let routingKey = try app.makeRoutingKey(service: "am-opsgenie", kind: "opsgenie")
        try app.makeHeartbeat("alertmanager-watchdog", service: "am-opsgenie", interval: 60)
        let viewer = try app.makeKey(role: .viewer)
        let result = try CompatScript.run(
            "alertmanager_opsgenie.sh",
            ["http://127.0.0.1:\(app.port)", routingKey, viewer, "alertmanager-watchdog"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("all Alertmanager Opsgenie checks passed"), "\(result.output)")
        // Each Watchdog ping was an audited write.
        #expect(
            try app.scalar(
                "SELECT count(*) FROM audit_log WHERE action = 'POST /v2/heartbeats/{name}/ping' AND status = 202"
            )
                >= 2)
    }
}
