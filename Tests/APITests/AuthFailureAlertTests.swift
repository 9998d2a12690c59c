import App
import Foundation
import TestSupport
import Testing

/// Seed 004's critical alert "Failed auth attempts > 10 in 5 minutes" (issue 17): an alert on the
/// built-in service `incidentd`, with the address, raised once per window whichever process saw it.
@Suite struct AuthFailureAlertTests {
    private func failAuthentication(_ app: TestApp, times: Int) throws {
        for _ in 0..<times {
            _ = try app.request("GET", "/api/v1/alerts", key: "ikd_" + String(repeating: "x", count: 42))
        }
    }

    /// The alerts of the service `incidentd`, read over IPv6 loopback: 127.0.0.1 is blocked.
    private func incidentdAlerts(_ app: TestApp) throws -> [[String: Any]] {
        let answer = try app.request(
            "GET", "/api/v1/alerts?service=incidentd", key: app.adminKey, from: "::1")
        return answer.json["items"] as? [[String: Any]] ?? []
    }

    @Test func moreThanTenFailuresInFiveMinutesRaiseOneCriticalAlertOnTheIncidentdService() throws {
        let app = try TestApp(host: nil)
        defer { app.stop() }
        let job = AuthFailureAlertJob(pool: app.pool, limiter: app.environment.authFailures)
        try failAuthentication(app, times: 10)
        #expect(try job.runOnce().isEmpty)
        try failAuthentication(app, times: 1)
        let raised = try job.runOnce()
        #expect(raised.count == 1)
        let alerts = try incidentdAlerts(app)
        let alert = try #require(alerts.first)
        #expect(alerts.count == 1 && alert["severity"] as? String == "critical")
        #expect(alert["dedup_key"] as? String == "auth-failures:127.0.0.1")
        #expect(
            alert["summary"] as? String
                == "More than 10 failed authentication attempts in 5 minutes from 127.0.0.1")
        let details = alert["details"] as? [String: Any] ?? [:]
        #expect(details["address"] as? String == "127.0.0.1" && details["failures"] as? Int == 11)
        #expect(details["window_seconds"] as? Int == 300)
        // Raised the usual way: critical, so it opened an incident on the incidentd service.
        #expect(alert["incident"] is String)
        // The address is blocked meanwhile, and nothing more is raised.
        #expect(try app.request("GET", "/api/v1/alerts", key: "ikd_nope").status == 429)
        #expect(try job.runOnce().isEmpty)
    }

    @Test func twoProcessesSeeingTheSameAddressRaiseItOncePerWindow() throws {
        let first = try TestApp(host: nil)
        defer { first.stop() }
        let second = try TestApp(host: nil, sharing: first)
        defer { second.stop() }
        // Each process counts its own failures (the limiter is per process) and crosses once.
        try failAuthentication(first, times: 11)
        try failAuthentication(second, times: 11)
        let now = Date()
        let firstJob = AuthFailureAlertJob(
            pool: first.pool, limiter: first.environment.authFailures, clock: { now })
        let secondJob = AuthFailureAlertJob(
            pool: second.pool, limiter: second.environment.authFailures, clock: { now })
        #expect(try firstJob.runOnce().count == 1)
        #expect(try secondJob.runOnce().isEmpty)
        let alerts = try incidentdAlerts(first)
        #expect(alerts.count == 1 && alerts.first?["event_count"] as? Int == 1)
    }
}
