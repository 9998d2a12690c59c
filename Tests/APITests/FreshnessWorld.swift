import Foundation
import HTTPServer

@testable import API

/// The data ``ResponseCacheFreshnessTests`` plays on: services, a routing key, alerts, an
/// incident with an alert, a post-mortem and an action item, made through the API; and the
/// reads and writes played on it, in order.
struct FreshnessWorld {
    let reads: [String]
    let writes: [FreshnessWrite]

    init(_ app: InProcessApp, now: Date, slackSecret: String) throws {
        func make(_ method: HTTPMethod, _ target: String, _ json: String) throws -> InProcessAPI.Answer {
            let answer = app.admin(method, target, json: json)
            guard (200..<300).contains(answer.status) else {
                throw InProcessApp.SetupFailure(
                    "\(method.rawValue) \(target): \(answer.status) \(answer.bodyText)")
            }
            return answer
        }
        func alert(_ key: String) throws -> Int {
            try app.created(app.admin(.post, "/api/v1/alerts", json: PipelineInProcessTests.alert(key)), key)
        }
        _ = try make(.post, "/api/v1/services", #"{"name":"checkout"}"#)
        _ = try make(.post, "/api/v1/services", #"{"name":"payments"}"#)
        let integration = try make(.post, "/api/v1/services/checkout/integrations", #"{"name":"senders"}"#)
        guard integration.json["routing_key"] is String else {
            throw InProcessApp.SetupFailure("no routing key: \(integration.bodyText)")
        }
        let (a, b, c, d) = (
            try alert("disk-a"), try alert("disk-b"), try alert("disk-c"), try alert("disk-d")
        )
        let e = try alert("disk-e")
        let incident = try app.created(
            try make(
                .post, "/api/v1/incidents",
                #"{"title":"Checkout slow","severity":"SEV3","services":["checkout"],"alert_ids":[\#(a)]}"#),
            "incident")
        let spare = try app.created(
            try make(.post, "/api/v1/incidents", #"{"title":"Cache misses","severity":"SEV4"}"#),
            "spare incident")
        _ = try make(.post, "/api/v1/incidents/\(incident)/postmortem", #"{"force":true}"#)
        let item = try app.created(
            try make(
                .post, "/api/v1/incidents/\(incident)/postmortem/action-items",
                #"{"owner":"carol","action":"Alert on replica lag"}"#), "action item")
        let revoked = try app.created(
            try make(.post, "/api/v1/api-keys", #"{"name":"to-revoke","role":"viewer"}"#), "key")
        let channel = try app.created(
            try make(.post, "/api/v1/channels", Self.channel("ops")), "channel")
        let retired = try app.created(
            try make(.post, "/api/v1/channels", Self.channel("retired")), "channel to delete")
        // A dead delivery to redeliver: nothing sends here, so the test event's stays pending.
        _ = try make(.post, "/api/v1/channels/\(channel)/test", "{}")
        let delivery = try app.pool.withConnection { connection in
            try connection.query(
                "UPDATE deliveries SET state = 'dead' WHERE id = (SELECT max(id) FROM deliveries) RETURNING id"
            )[0].decode("id", as: Int.self)
        }

        let people = try Self.makePeople(app, now: now)
        let escalation = try Self.makeEscalation(app, people: people, channel: channel)
        let statusPage = try Self.makeStatusPage(app, incident: spare)
        let maintenance = try Self.makeMaintenance(app, now: now)

        // Opsgenie's routes take the keys of an `opsgenie` integration (issue 20).
        let genie = try make(
            .post, "/api/v1/services/checkout/integrations", #"{"name":"og","kind":"opsgenie"}"#)
        guard let genieKey = genie.json["routing_key"] as? String else {
            throw InProcessApp.SetupFailure("no opsgenie routing key: \(genie.bodyText)")
        }
        let heartbeatReads = try Self.heartbeatsAndOpsgenie(app, routingKey: genieKey, now: now)
        // Each sender's format takes the keys of its own integration kind (issue 20).
        func key(_ kind: String) throws -> String {
            let made = try make(
                .post, "/api/v1/services/checkout/integrations", #"{"name":"\#(kind)","kind":"\#(kind)"}"#)
            guard let key = made.json["routing_key"] as? String else {
                throw InProcessApp.SetupFailure("no \(kind) routing key: \(made.bodyText)")
            }
            return key
        }
        let (pagerDutyKey, alertmanagerKey, runbookKey) = (
            try key("pagerduty"), try key("alertmanager"), try key("runbook")
        )
        let window =
            "from=\(RFC3339.format(now.addingTimeInterval(-86400)))&to=\(RFC3339.format(now.addingTimeInterval(86400)))"
        reads =
            [
                "/api/v1/api-keys", "/api/v1/services", "/api/v1/services/checkout", "/api/v1/audit",
                "/api/v1/admin/read-only",
                "/api/v1/alerts", "/api/v1/alerts?status=open", "/api/v1/alerts/\(a)", "/api/v1/alerts/\(b)",
                "/api/v1/alerts/\(a)/timeline", "/api/v1/alerts/\(b)/timeline", "/api/v1/incidents",
                PipelineInProcessTests.poll, "/api/v1/incidents/\(incident)",
                "/api/v1/incidents/\(incident)/timeline",
                "/api/v1/incidents/\(incident)/postmortem", "/api/v1/incidents/\(incident)/postmortem.md",
                "/api/v1/postmortems", "/api/v1/action-items", "/api/v1/action-items/\(item)",
                "/api/v1/reports/incident-metrics?\(window)",
                "/api/v1/events", "/api/v1/stream", "/api/v1/export", "/api/v1/channels",
                "/api/v1/channels/\(channel)", "/api/v1/deliveries",
            ] + Self.peopleReads(people, now: now) + heartbeatReads + Self.escalationReads(escalation)
            + Self.statusPageReads(statusPage, now: now) + Self.maintenanceReads(maintenance)
        writes =
            Self.alertWrites(
                a: a, b: b, pagerDutyKey: pagerDutyKey, alertmanagerKey: alertmanagerKey, now: now)
            + Self.runbookWrites(routingKey: runbookKey, inIncident: a, alone: d)
            + Self.incidentWrites(incident: incident, spare: spare, attach: c, declare: e, item: item)
            + Self.otherWrites(incident: incident, revoked: revoked, slackSecret: slackSecret, now: now)
            + Self.notificationWrites(channel: channel, retired: retired, delivery: delivery)
            + Self.escalationWrites(escalation, people: people)
            + Self.peopleWrites(people, now: now)
            + Self.heartbeatAndOpsgenieWrites(routingKey: genieKey)
            + Self.statusPageWrites(statusPage)
            + Self.maintenanceWrites(maintenance, now: now)
    }

    /// A webhook channel's body (the URL is never called here).
    private static func channel(_ name: String) -> String {
        #"{"name":"\#(name)","kind":"webhook","url":"https://hooks.example.com/\#(name)"}"#
    }

    /// Channels and deliveries (SPEC §9).
    private static func notificationWrites(channel: Int, retired: Int, delivery: Int) -> [FreshnessWrite] {
        [
            FreshnessWrite(
                label: "channel created", method: .post, target: "/api/v1/channels",
                json: Self.channel("pager")),
            FreshnessWrite(
                label: "channel edited", method: .patch, target: "/api/v1/channels/\(channel)",
                json: #"{"min_severity":"SEV2"}"#),
            FreshnessWrite(
                label: "channel test", method: .post, target: "/api/v1/channels/\(channel)/test", json: "{}"),
            FreshnessWrite(
                label: "delivery redelivered", method: .post,
                target: "/api/v1/deliveries/\(delivery)/redeliver",
                json: "{}"),
            FreshnessWrite(label: "channel deleted", method: .delete, target: "/api/v1/channels/\(retired)"),
        ]
    }

    /// Alerts through the native route (group commit and usual path), people's actions on
    /// alerts, PagerDuty and Alertmanager. `a` is in the incident, `b` is not.
    private static func alertWrites(a: Int, b: Int, pagerDutyKey: String, alertmanagerKey: String, now: Date)
        -> [FreshnessWrite]
    {
        let alerts = "/api/v1/alerts"
        func native(_ key: String, severity: String = "warning", service: String = "checkout") -> String {
            PipelineInProcessTests.alert(key, severity: severity, service: service)
        }
        func pagerDuty(_ action: String, _ key: String) -> String {
            #"{"routing_key":"\#(pagerDutyKey)","event_action":"\#(action)","dedup_key":"\#(key)","payload":{"summary":"Disk full","source":"db1","severity":"warning"}}"#
        }
        func alertmanager(_ status: String) -> String {
            let ends = status == "resolved" ? RFC3339.format(now) : "0001-01-01T00:00:00Z"
            return """
                {"version":"4","groupKey":"{}:{alertname=\\"QueueDepth\\"}","truncatedAlerts":0,"status":"\(status)",
                 "receiver":"incidentd","groupLabels":{"alertname":"QueueDepth"},"commonLabels":{},"commonAnnotations":{},
                 "externalURL":"http://alertmanager:9093","alerts":[{"status":"\(status)",
                 "labels":{"alertname":"QueueDepth","severity":"warning"},"annotations":{"summary":"Queue deep"},
                 "startsAt":"2026-11-22T10:00:00Z","endsAt":"\(ends)","fingerprint":"00000000000000aa"}]}
                """
        }
        let change =
            #"{"routing_key":"\#(pagerDutyKey)","payload":{"summary":"Deployed 1.2","source":"ci","timestamp":"\#(RFC3339.format(now.addingTimeInterval(-60)))"}}"#
        return [
            // Switched off again at once: the writes after it must go through.
            FreshnessWrite(
                label: "read-only switch", method: .put, target: "/api/v1/admin/read-only",
                json: #"{"enabled": false, "reason": "drill"}"#),
            FreshnessWrite(
                label: "new warning alert (group commit)", method: .post, target: alerts, json: native("w1")),
            FreshnessWrite(
                label: "repeat of an alert in an incident (group commit)", method: .post, target: alerts,
                json: native("disk-a"), mayAlsoChange: .incidents),
            FreshnessWrite(
                label: "warning alert creating its service", method: .post, target: alerts,
                json: native("w3", service: "search"), mayAlsoChange: .services),
            FreshnessWrite(
                label: "repeat of an alert in an incident (usual path)", method: .post, target: alerts,
                json: native("disk-a"), headers: [("Idempotency-Key", "fresh-1")], mayAlsoChange: .incidents),
            FreshnessWrite(
                label: "critical alert opening an incident", method: .post, target: alerts,
                json: native("down", severity: "critical", service: "payments"), mayAlsoChange: .incidents),
            FreshnessWrite(
                label: "alert acknowledged", method: .post, target: "\(alerts)/\(b)/acknowledge", json: "{}"),
            FreshnessWrite(
                label: "note on an alert in an incident", method: .post, target: "\(alerts)/\(a)/timeline",
                json: #"{"body":"Seen before the deploy"}"#),
            FreshnessWrite(
                label: "alert resolved", method: .post, target: "\(alerts)/\(b)/resolve", json: "{}"),
            FreshnessWrite(
                label: "PagerDuty trigger", method: .post, target: "/v2/enqueue",
                json: pagerDuty("trigger", "pd-1"),
                credential: .none),
            FreshnessWrite(
                label: "PagerDuty acknowledge", method: .post, target: "/v2/enqueue",
                json: pagerDuty("acknowledge", "pd-1"), credential: .none),
            FreshnessWrite(
                label: "PagerDuty repeat of an alert in an incident", method: .post, target: "/v2/enqueue",
                json: pagerDuty("trigger", "disk-a"), credential: .none, mayAlsoChange: .incidents),
            FreshnessWrite(
                label: "PagerDuty resolve", method: .post, target: "/v2/enqueue",
                json: pagerDuty("resolve", "pd-1"),
                credential: .none),
            FreshnessWrite(
                label: "PagerDuty change event", method: .post, target: "/v2/change/enqueue", json: change,
                credential: .none),
            FreshnessWrite(
                label: "Alertmanager firing", method: .post, target: "/api/v1/integrations/alertmanager",
                json: alertmanager("firing"), credential: .bearer(alertmanagerKey)),
            FreshnessWrite(
                label: "Alertmanager resolved", method: .post, target: "/api/v1/integrations/alertmanager",
                json: alertmanager("resolved"), credential: .bearer(alertmanagerKey)),
        ]
    }

    /// The seed runbooks' alert routes with a routing key.
    private static func runbookWrites(routingKey: String, inIncident: Int, alone: Int) -> [FreshnessWrite] {
        [
            FreshnessWrite(
                label: "runbook trigger", method: .post, target: "/alerts/trigger",
                json: #"{"title":"Queue depth","type":"warning"}"#, credential: .bearer(routingKey)),
            FreshnessWrite(
                label: "runbook acknowledge", method: .post, target: "/alerts/acknowledge",
                json: #"{"alertId":"ALR-\#(alone)"}"#, credential: .bearer(routingKey)),
            FreshnessWrite(
                label: "runbook resolve of an alert in an incident", method: .post, target: "/alerts/resolve",
                json: #"{"alertId":\#(inIncident)}"#, credential: .bearer(routingKey),
                mayAlsoChange: .incidents),
        ]
    }

    /// The incident workflow, post-mortem and action items on `incident`.
    private static func incidentWrites(incident: Int, spare: Int, attach: Int, declare: Int, item: Int)
        -> [FreshnessWrite]
    {
        let path = "/api/v1/incidents/\(incident)"
        return [
            FreshnessWrite(
                label: "incident declared with an alert", method: .post, target: "/api/v1/incidents",
                json: #"{"title":"Search down","severity":"SEV2","alert_ids":[\#(declare)]}"#),
            FreshnessWrite(
                label: "incident edited", method: .patch, target: path,
                json: #"{"title":"Checkout slow (db)"}"#),
            FreshnessWrite(
                label: "incident acknowledged", method: .post, target: "\(path)/acknowledge", json: "{}"),
            FreshnessWrite(
                label: "incident status", method: .post, target: "\(path)/status",
                json: #"{"status":"identified","message":"Replica lag"}"#),
            FreshnessWrite(
                label: "incident note", method: .post, target: "\(path)/timeline",
                json: #"{"body":"Failing over"}"#),
            FreshnessWrite(
                label: "alert attached", method: .post, target: "\(path)/alerts",
                json: #"{"alert_ids":[\#(attach)]}"#),
            FreshnessWrite(
                label: "post-mortem edited", method: .patch, target: "\(path)/postmortem",
                json: #"{"summary":"Replica lag after failover"}"#),
            FreshnessWrite(
                label: "action item added", method: .post, target: "\(path)/postmortem/action-items",
                json: #"{"owner":"dave","action":"Runbook for failover"}"#),
            FreshnessWrite(
                label: "action item done", method: .patch, target: "/api/v1/action-items/\(item)",
                json: #"{"status":"done"}"#),
            FreshnessWrite(
                label: "incident resolved", method: .post, target: "\(path)/resolve",
                json: #"{"resolution":"Failed over"}"#),
            FreshnessWrite(
                label: "post-mortem started", method: .post, target: "/api/v1/incidents/\(spare)/postmortem",
                json: #"{"force":true}"#),
        ]
    }

    /// Chat, services and keys.
    private static func otherWrites(incident: Int, revoked: Int, slackSecret: String, now: Date)
        -> [FreshnessWrite]
    {
        let form = SlackForm.slashCommand(text: "note INC-\(incident) Watching from Slack", user: "alice")
        let stamp = String(Int(now.timeIntervalSince1970))
        return [
            FreshnessWrite(
                label: "chat command", method: .post, target: "/api/v1/chat/command",
                json: #"{"text":"note INC-\#(incident) Watching the replica","user":"alice"}"#),
            FreshnessWrite(
                label: "Slack command", method: .post, target: "/api/v1/chat/slack", form: form,
                headers: [
                    ("X-Slack-Request-Timestamp", stamp),
                    ("X-Slack-Signature", SlackForm.sign(form, secret: slackSecret, timestamp: stamp)),
                ], credential: .none),
            FreshnessWrite(
                label: "service created", method: .post, target: "/api/v1/services",
                json: #"{"name":"billing"}"#),
            FreshnessWrite(
                label: "integration created", method: .post, target: "/api/v1/services/checkout/integrations",
                json: #"{"name":"am","kind":"alertmanager"}"#),
            FreshnessWrite(
                label: "key created", method: .post, target: "/api/v1/api-keys",
                json: #"{"name":"dash","role":"viewer"}"#),
            FreshnessWrite(label: "key revoked", method: .delete, target: "/api/v1/api-keys/\(revoked)"),
        ]
    }
}
