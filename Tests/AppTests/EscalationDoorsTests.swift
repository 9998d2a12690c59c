import Foundation
import Postgres
import TestSupport
import Testing

/// SPEC §11 (issue 16): an acknowledgement or resolution through any door stops the escalation
/// in its own transaction — after the 2xx no page is written, claimed or received, and the
/// pending ones are cancelled (native REST, the runbooks' API, PagerDuty, Opsgenie, Alertmanager,
/// chat). Each door acts on its own incident, all at once, between step 1
/// (paged) and step 2 (due 2 s after it).
@Suite struct EscalationDoorsTests {
    /// How a door stops one incident's escalation: the request, given the incident and its alert.
    struct Door: Sendable {
        let name: String
        /// A critical alert through this door's own format when it needs one (PagerDuty, Alertmanager).
        let trigger: @Sendable (_ server: EscalationServer, _ routingKey: String) throws -> Void
        let stop:
            @Sendable (_ server: EscalationServer, _ routingKey: String, _ incident: Int64, _ alert: Int64)
                throws
                -> Int
    }

    static func native(_ service: String) -> @Sendable (EscalationServer, String) throws -> Void {
        { server, _ in
            try EscalationSetup.criticalAlert(
                port: server.port, key: server.adminKey, service: service, dedupKey: "x")
        }
    }

    static let doors: [Door] = [
        Door(name: "alert-ack", trigger: native("alert-ack")) { server, _, _, alert in
            try server.request("POST", "/api/v1/alerts/\(alert)/acknowledge", json: #"{"by":"ana"}"#).status
        },
        Door(name: "alert-resolve", trigger: native("alert-resolve")) { server, _, _, alert in
            try server.request("POST", "/api/v1/alerts/\(alert)/resolve", json: #"{"by":"ana"}"#).status
        },
        Door(name: "incident-ack", trigger: native("incident-ack")) { server, _, incident, _ in
            try server.request("POST", "/api/v1/incidents/\(incident)/acknowledge", json: "{}").status
        },
        Door(name: "incident-resolve", trigger: native("incident-resolve")) { server, _, incident, _ in
            try server.request("POST", "/api/v1/incidents/\(incident)/resolve", json: "{}").status
        },
        Door(name: "runbook", trigger: native("runbook")) { server, _, _, alert in
            try server.request(
                "POST", "/alerts/acknowledge", json: #"{"alertId":"ALR-\#(alert)","userId":"ana"}"#
            ).status
        },
        Door(name: "chat", trigger: native("chat")) { server, _, incident, _ in
            try server.request(
                "POST", "/api/v1/chat/command",
                json: #"{"text":"!ack INC-\#(incident) \"on it\"","user":"ana"}"#
            ).status
        },
        Door(
            name: "pagerduty",
            trigger: { server, key in
                try HTTPCall.ok(
                    port: server.port, "POST", "/v2/enqueue", json: pagerDuty("trigger", key), key: key)
            },
            stop: { server, key, _, _ in
                try HTTPCall.send(
                    port: server.port, "POST", "/v2/enqueue", json: pagerDuty("acknowledge", key), key: key
                )
                .status
            }),
        Door(
            name: "opsgenie",
            trigger: { server, key in
                try HTTPCall.ok(
                    port: server.port, "POST", "/v2/alerts",
                    json: #"{"message":"Down","alias":"og-1","priority":"P1"}"#,
                    key: key)
            },
            stop: { server, key, _, _ in
                try HTTPCall.send(
                    port: server.port, "POST", "/v2/alerts/og-1/acknowledge?identifierType=alias",
                    json: #"{"user":"ana"}"#, key: key
                ).status
            }),
        Door(
            name: "alertmanager",
            trigger: { server, key in
                try HTTPCall.ok(
                    port: server.port, "POST", "/api/v1/integrations/alertmanager",
                    json: alertmanager("firing"),
                    key: key)
            },
            stop: { server, key, _, _ in
                try HTTPCall.send(
                    port: server.port, "POST", "/api/v1/integrations/alertmanager",
                    json: alertmanager("resolved"),
                    key: key
                ).status
            }),
    ]

    static func pagerDuty(_ action: String, _ key: String) -> String {
        #"{"routing_key":"\#(key)","event_action":"\#(action)","dedup_key":"pd-1","payload":{"summary":"Down","source":"db1","severity":"critical"}}"#
    }

    static func alertmanager(_ status: String) -> String {
        let ends = status == "resolved" ? "2026-12-07T10:05:00Z" : "0001-01-01T00:00:00Z"
        return """
            {"version":"4","groupKey":"{}:{alertname=\\"Down\\"}","truncatedAlerts":0,"status":"\(status)",
             "receiver":"incidentd","groupLabels":{"alertname":"Down"},"commonLabels":{},"commonAnnotations":{},
             "externalURL":"http://alertmanager:9093","alerts":[{"status":"\(status)",
             "labels":{"alertname":"Down","severity":"critical"},"annotations":{"summary":"Down"},
             "startsAt":"2026-12-07T10:00:00Z","endsAt":"\(ends)","fingerprint":"00000000000000dd"}]}
            """
    }

    @Test func anAcknowledgementOrResolutionThroughEveryDoorStopsTheEscalationBeforeItsAnswer() throws {
        let receiver = try PageReceiver()
        let server = try EscalationServer()
        defer { server.stop() }
        _ = try EscalationSetup(
            port: server.port, key: server.adminKey, receiver: receiver, steps: 2, delay: 2,
            services: Self.doors.map(\.name))
        var keys: [String: String] = [:]
        for door in Self.doors {
            // Each sender's format takes the keys of its own integration kind (issue 20).
            let kind = ["pagerduty", "opsgenie", "alertmanager"].contains(door.name) ? door.name : "generic"
            let integration = try HTTPCall.ok(
                port: server.port, "POST", "/api/v1/services/\(door.name)/integrations",
                json: #"{"name":"src","kind":"\#(kind)"}"#,
                key: server.adminKey)
            keys[door.name] = integration["routing_key"] as? String
            try door.trigger(server, keys[door.name] ?? "")
        }
        // One incident and one alert per door's service; step 1 (one webhook) read by the receiver.
        let incidents = try server.pool.withConnection { connection in
            try connection.query(
                """
                SELECT s.name, a.incident_id, a.id AS alert_id FROM alerts a JOIN services s ON s.id = a.service_id
                WHERE a.incident_id IS NOT NULL ORDER BY s.name
                """
            ).map {
                (
                    try $0.decode("name", as: String.self), try $0.decode("incident_id", as: Int64.self),
                    try $0.decode("alert_id", as: Int64.self)
                )
            }
        }
        try #require(incidents.count == Self.doors.count, "\(incidents)")
        #expect(try waitFor(10) { try receiver.pages().count == Self.doors.count })

        var answered: [String: Date] = [:]
        for door in Self.doors {
            let (_, incident, alert) = try #require(incidents.first { $0.0 == door.name })
            let status = try door.stop(server, keys[door.name] ?? "", incident, alert)
            #expect((200..<300).contains(status), "\(door.name): \(status)")
            answered[door.name] = Date()
        }
        // Step 2 was due 2 s after step 1: wait past it and the allowed lateness.
        Thread.sleep(forTimeInterval: 4)
        let pages = try receiver.pages()
        #expect(
            pages.count == Self.doors.count,
            "only step 1 was received: \(pages.map { "\($0.recipient) \($0.step ?? 0)" })")
        #expect(pages.allSatisfy { $0.step == 1 })
        let rows = try server.pool.withConnection { connection in
            try connection.query(
                """
                SELECT s.name, e.state, (SELECT count(*) FROM deliveries d WHERE d.page_incident_id = e.incident_id)::int8 AS pages,
                       (SELECT max(d.page_step) FROM deliveries d WHERE d.page_incident_id = e.incident_id)::int8 AS last_step,
                       (SELECT max(d.created_at) FROM deliveries d WHERE d.page_incident_id = e.incident_id) AS last_page
                FROM incident_escalations e JOIN incident_services x ON x.incident_id = e.incident_id
                JOIN services s ON s.id = x.service_id ORDER BY s.name
                """
            ).map {
                (
                    try $0.decode("name", as: String.self), try $0.decode("state", as: String.self),
                    try $0.decode("pages", as: Int64.self), try $0.decode("last_step", as: Int64.self),
                    try $0.decode("last_page", as: Date.self)
                )
            }
        }
        #expect(rows.count == Self.doors.count)
        for (name, state, count, lastStep, lastPage) in rows {
            let resolved = name.hasSuffix("resolve") || name == "alertmanager"
            #expect(state == (resolved ? "resolved" : "acknowledged"), "\(name)")
            #expect(count == 1 && lastStep == 1, "\(name): \(count) pages, last step \(lastStep)")
            #expect(lastPage < (answered[name] ?? .distantPast), "\(name): no page written after the 2xx")
        }
    }
}
