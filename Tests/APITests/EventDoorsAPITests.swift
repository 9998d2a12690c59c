import Foundation
import TestSupport
import Testing

/// SPEC §8: every state change appends its event, through every door — native API, seed
/// runbook routes, PagerDuty Events v2, Alertmanager, chat — since they all go through the same
/// repository operations.
@Suite struct EventDoorsAPITests {
    @Test func nativeAlertRoutesAppendTriggeredAcknowledgedResolvedAndRepeatsSayDeduplicated() throws {
        let app = try TestApp()
        defer { app.stop() }
        let body = #"{"service":"api","source":"tests","summary":"5xx","severity":"warning","dedup_key":"k"}"#
        var id = 0
        #expect(
            try app.eventTypes(expecting: 1) {
                let created = try app.admin("POST", "/api/v1/alerts", json: body)
                id = try #require(created.json["id"] as? Int)
            } == ["alert.triggered"])
        let repeated = try app.eventTypes(expecting: 1) {
            _ = try app.admin("POST", "/api/v1/alerts", json: body)
        }
        #expect(repeated == ["alert.triggered"])
        let events = try app.events()
        let data = try #require(events.last?["data"] as? [String: Any])
        #expect(data["deduplicated"] as? Bool == true && data["event_count"] as? Int == 2)
        #expect((events.first?["data"] as? [String: Any])?["deduplicated"] as? Bool == false)
        #expect(
            try app.eventTypes(expecting: 1) {
                _ = try app.admin("POST", "/api/v1/alerts/\(id)/acknowledge", json: #"{"by":"alice"}"#)
            } == ["alert.acknowledged"])
        #expect(
            try app.eventTypes(expecting: 1) {
                _ = try app.admin("POST", "/api/v1/alerts/ALR-\(id)/resolve", json: #"{"by":"alice"}"#)
            } == ["alert.resolved"])
        let last = try #require(try app.events().last)
        #expect(last["actor"] as? String == "alice" && last["service"] as? String == "api")
        #expect(last["severity"] as? String == "warning")
        #expect((last["subject"] as? [String: Any])?["ref"] as? String == "ALR-\(id)")
    }

    @Test func aCriticalAlertAppendsItsTriggerThenTheIncidentItOpenedAndAJoinUpdatesIt() throws {
        let app = try TestApp()
        defer { app.stop() }
        let opened = try app.eventTypes(expecting: 2) {
            _ = try app.admin(
                "POST", "/api/v1/alerts",
                json: #"{"service":"db","source":"t","summary":"primary down","severity":"critical"}"#)
        }
        #expect(opened == ["alert.triggered", "incident.opened"])
        let joined = try app.eventTypes(expecting: 2) {
            _ = try app.admin(
                "POST", "/api/v1/alerts",
                json: #"{"service":"db","source":"t","summary":"replica down","severity":"critical"}"#)
        }
        #expect(joined == ["alert.triggered", "incident.updated"])
        let incident = try #require(try app.events(query: "types=incident.opened").first)
        #expect(incident["severity"] as? String == "SEV2" && incident["service"] as? String == "db")
        #expect((incident["data"] as? [String: Any])?["alert"] as? String == "ALR-1")
    }

    @Test func runbookRoutesAppendTheirEvents() throws {
        let app = try TestApp()
        defer { app.stop() }
        var alertID = ""
        #expect(
            try app.eventTypes(expecting: 1) {
                let created = try app.admin(
                    "POST", "/alerts/trigger",
                    json: #"{"type":"P3","title":"Queue backlog","message":"lag 5m","source":"runbook"}"#)
                try #require(created.status == 201, "\(created.bodyText)")
                alertID = try #require(
                    created.json["alertId"] as? String ?? (created.json["id"] as? Int).map(String.init))
            } == ["alert.triggered"])
        #expect(
            try app.eventTypes(expecting: 1) {
                _ = try app.admin(
                    "POST", "/alerts/acknowledge", json: #"{"alertId":"\#(alertID)","userId":"bob"}"#)
            } == ["alert.acknowledged"])
        #expect(
            try app.eventTypes(expecting: 1) {
                _ = try app.admin(
                    "POST", "/alerts/resolve",
                    json: #"{"alertId":"\#(alertID)","userId":"bob","resolution":"drained"}"#)
            } == ["alert.resolved"])
    }

    @Test func pagerDutyAndAlertmanagerSendersAppendTheirEvents() throws {
        let app = try TestApp()
        defer { app.stop() }
        let pagerDuty = try app.makeRoutingKey(service: "payments", kind: "pagerduty")
        func enqueue(_ action: String) throws {
            let response = try app.request(
                "POST", "/v2/enqueue",
                json: #"""
                    {"routing_key":"\#(pagerDuty)","event_action":"\#(action)","dedup_key":"pd-1",
                     "payload":{"summary":"disk full","source":"host1","severity":"warning"}}
                    """#, key: nil)
            try #require(response.status == 202, "\(response.bodyText)")
        }
        #expect(
            try app.eventTypes(expecting: 3) {
                try enqueue("trigger")
                try enqueue("acknowledge")
                try enqueue("resolve")
            } == ["alert.triggered", "alert.acknowledged", "alert.resolved"])
        let alertmanager = try app.makeRoutingKey(service: "nodes", kind: "alertmanager")
        func notify(_ status: String) throws {
            let response = try app.request(
                "POST", "/api/v1/integrations/alertmanager",
                json: """
                    {"version":"4","groupKey":"g","status":"\(status)","receiver":"incidentd","groupLabels":{},
                     "commonLabels":{},"commonAnnotations":{},"externalURL":"http://am",
                     "alerts":[{"status":"\(status)","labels":{"alertname":"Down","severity":"warning"},
                       "annotations":{"summary":"node down"},"startsAt":"2026-11-22T10:00:00Z",
                       "endsAt":"0001-01-01T00:00:00Z","fingerprint":"0000000000000001"}]}
                    """, key: alertmanager)
            try #require(response.status == 200, "\(response.bodyText)")
        }
        #expect(
            try app.eventTypes(expecting: 2) {
                try notify("firing")
                try notify("resolved")
            } == ["alert.triggered", "alert.resolved"])
    }

    @Test func incidentRoutesAndChatAppendEveryKindOfIncidentEvent() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("web")
        var id = 0
        #expect(
            try app.eventTypes(expecting: 1) {
                let created = try app.admin(
                    "POST", "/api/v1/incidents",
                    json: #"{"title":"Checkout down","severity":"SEV2","services":["web"]}"#)
                id = try #require(created.json["id"] as? Int)
            } == ["incident.opened"])
        #expect(
            try app.eventTypes(expecting: 1) {
                _ = try app.admin(
                    "PATCH", "/api/v1/incidents/\(id)", json: #"{"severity":"SEV1","commander":"ann"}"#)
            } == ["incident.updated"])
        let update = try #require(try app.events().last?["data"] as? [String: Any])
        let changes = update["changes"] as? [[String: Any]] ?? []
        #expect(changes.compactMap { $0["field"] as? String } == ["severity", "commander"])
        #expect(
            try app.eventTypes(expecting: 1) {
                _ = try app.chat("ack INC-\(id) on it", user: "carol", key: app.adminKey)
            } == ["incident.acknowledged"])
        #expect(
            try app.eventTypes(expecting: 2) {
                _ = try app.admin(
                    "POST", "/api/v1/incidents/\(id)/status",
                    json: #"{"status":"identified","message":"Bad deploy"}"#)
            } == ["incident.status_changed", "incident.status_update"])
        #expect(
            try app.eventTypes(expecting: 1) {
                _ = try app.admin(
                    "POST", "/api/v1/incidents/\(id)/timeline", json: #"{"body":"Rolling back"}"#)
            } == ["incident.note_added"])
        #expect(
            try app.eventTypes(expecting: 1) {
                _ = try app.chat("resolve INC-\(id) rolled back", user: "carol", key: app.adminKey)
            } == ["incident.resolved"])
        let resolved = try #require(try app.events().last)
        #expect(resolved["actor"] as? String == "carol" && resolved["severity"] as? String == "SEV1")
        #expect(
            try app.eventTypes(expecting: 1) {
                _ = try app.admin("POST", "/api/v1/incidents/\(id)/postmortem", json: "{}")
                _ = try app.admin(
                    "PATCH", "/api/v1/incidents/\(id)/postmortem", json: #"{"status":"in_review"}"#)
                _ = try app.admin(
                    "PATCH", "/api/v1/incidents/\(id)/postmortem", json: #"{"status":"published"}"#)
            } == ["postmortem.published"])
        let published = try #require(try app.events().last)
        #expect((published["data"] as? [String: Any])?["incident"] as? String == "INC-\(id)")
    }
}
