import App
import Foundation
import HTTPServer

@testable import API

/// Heartbeats and the Opsgenie API in ``ResponseCacheFreshnessTests`` (issue 17).
extension FreshnessWorld {
    /// Heartbeats `backup`, `to-delete` and `lapsed` on `checkout`, `lapsed` expired (its
    /// critical alert joined the checkout incident), and an Opsgenie alert `og-1`. Returns the
    /// reads they add.
    static func heartbeatsAndOpsgenie(_ app: InProcessApp, routingKey: String, now: Date) throws -> [String] {
        func check(_ answer: InProcessAPI.Answer, _ step: String) throws -> InProcessAPI.Answer {
            guard (200..<300).contains(answer.status) else {
                throw InProcessApp.SetupFailure("\(step): \(answer.status) \(answer.bodyText)")
            }
            return answer
        }
        for name in ["backup", "to-delete", "lapsed"] {
            _ = try check(
                app.admin(
                    .post, "/api/v1/heartbeats",
                    json: #"{"name":"\#(name)","service":"checkout","interval_seconds":60}"#), name)
        }
        _ = try app.pool.withConnection { connection in
            try connection.execute(
                "UPDATE heartbeats SET armed_at = armed_at - interval '1 hour' WHERE name = 'lapsed'")
        }
        let expired = try HeartbeatExpiryJob(pool: app.pool, processStartedAt: .distantPast, clock: { now })
            .runOnce()
        guard expired.map(\.heartbeat.name) == ["lapsed"] else {
            throw InProcessApp.SetupFailure("expected lapsed to expire, got \(expired.map(\.heartbeat.name))")
        }
        let created = try check(
            app.api.send(
                .post, "/v2/alerts", key: nil, json: #"{"message":"Queue stuck","alias":"og-1"}"#,
                headers: [("Authorization", "GenieKey \(routingKey)")]), "Opsgenie alert")
        guard let requestID = created.json["requestId"] as? String else {
            throw InProcessApp.SetupFailure("no requestId: \(created.bodyText)")
        }
        return ["/api/v1/heartbeats", "/api/v1/heartbeats/backup", "/v2/alerts/requests/\(requestID)"]
    }

    /// Heartbeat configuration and pings by every method and both paths; the `lapsed` one
    /// recovers (its alert, in the checkout incident, is resolved). Then Opsgenie's alert calls.
    static func heartbeatAndOpsgenieWrites(routingKey: String) -> [FreshnessWrite] {
        let genie = [("Authorization", "GenieKey \(routingKey)")]
        return [
            FreshnessWrite(
                label: "heartbeat created", method: .post, target: "/api/v1/heartbeats",
                json: #"{"name":"nightly","service":"payments","interval_seconds":86400}"#),
            FreshnessWrite(
                label: "heartbeat edited", method: .patch, target: "/api/v1/heartbeats/backup",
                json: #"{"grace_seconds":30}"#),
            FreshnessWrite(
                label: "heartbeat pinged (GET)", method: .get, target: "/api/v1/heartbeats/backup/ping"),
            FreshnessWrite(
                label: "heartbeat pinged (POST, routing key)", method: .post,
                target: "/api/v1/heartbeats/backup/ping", credential: .bearer(routingKey)),
            FreshnessWrite(
                label: "expired heartbeat pinged (PUT), its alert resolved", method: .put,
                target: "/api/v1/heartbeats/lapsed/ping", mayAlsoChange: [.alerts, .incidents]),
            FreshnessWrite(
                label: "Opsgenie heartbeat ping (PATCH)", method: .patch,
                target: "/v2/heartbeats/backup/ping",
                headers: genie, credential: .none),
            FreshnessWrite(
                label: "Opsgenie heartbeat ping (GET)", method: .get, target: "/v2/heartbeats/backup/ping",
                headers: genie, credential: .none),
            FreshnessWrite(
                label: "heartbeat deleted", method: .delete, target: "/api/v1/heartbeats/to-delete"),
            FreshnessWrite(
                label: "Opsgenie alert created", method: .post, target: "/v2/alerts",
                json: #"{"message":"Replica lag","alias":"og-2","priority":"P3"}"#, headers: genie,
                credential: .none),
            FreshnessWrite(
                label: "Opsgenie acknowledge by alias", method: .post,
                target: "/v2/alerts/og-1/acknowledge?identifierType=alias", json: #"{"user":"alice"}"#,
                headers: genie, credential: .none),
            FreshnessWrite(
                label: "Opsgenie note by alias", method: .post,
                target: "/v2/alerts/og-1/notes?identifierType=alias",
                json: #"{"note":"Draining the queue"}"#, headers: genie, credential: .none),
            FreshnessWrite(
                label: "Opsgenie close by alias", method: .post,
                target: "/v2/alerts/og-1/close?identifierType=alias",
                headers: genie, credential: .none),
        ]
    }
}
