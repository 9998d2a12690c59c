import Dispatch
import Foundation
import TestSupport
import Testing

/// Issue 6 response workflow over HTTP: acknowledge, status changes with messages, resolve,
/// attaching alerts; cascades to alerts; 409 for transitions the state forbids.
@Suite struct IncidentActionsAPITests {
    @Test func acknowledgeCascadesToTriggeredAlertsAndRepeatsAreNoOps() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder, name: "pager-bot")
        let critical = try app.request(
            "POST", "/api/v1/alerts",
            json: #"{"service":"api","source":"prom","summary":"API down","severity":"critical"}"#, key: key)
        let alertID = try #require(critical.json["id"] as? Int)
        let incidentID = try #require(
            critical.json["incident_id"] as? Int, "grouping answered in the trigger")
        let acked = try app.request(
            "POST", "/api/v1/incidents/INC-\(incidentID)/acknowledge",
            json: #"{"by":"alice","note":"Looking"}"#,
            key: key)
        #expect(acked.status == 200)
        #expect(acked.json["acknowledged_by"] as? String == "alice")
        #expect((acked.json["sla"] as? [String: Any])?["state"] as? String == "met")
        let alerts = try #require(acked.json["alerts"] as? [[String: Any]])
        #expect(
            alerts.first?["status"] as? String == "acknowledged"
                && alerts.first?["acknowledged_by"] as? String == "alice")
        let again = try app.request("POST", "/api/v1/incidents/\(incidentID)/acknowledge", key: key)
        #expect(
            again.status == 200 && again.json["acknowledged_by"] as? String == "alice",
            "no-op keeps the first")
        let kinds = try app.incidentTimelineKinds(incidentID)
        #expect(
            kinds == ["alert_triggered", "created", "alert_attached", "acknowledged", "alert_acknowledged"])
        let alertTimeline = try app.alertTimeline(alertID).compactMap { $0["kind"] as? String }
        #expect(alertTimeline.contains("alert_acknowledged"), "the alert's own timeline shows it too")
    }

    @Test func statusUpdatesFollowTheOrderAndTheLatestIsShown() throws {
        let app = try TestApp()
        defer { app.stop() }
        let incident = try app.declareIncident(#"{"title":"Payments slow","severity":"SEV2"}"#)
        let id = try #require(incident["id"] as? Int)
        let update = "Status: Identified\nImpact: 5% of checkouts\nLead: alice\nNext update: 15:30 UTC"
        let identified = try app.admin(
            "POST", "/api/v1/incidents/\(id)/status",
            json:
                #"{"status":"Identified","message":"\#(update.replacingOccurrences(of: "\n", with: "\\n"))"}"#
        )
        #expect(identified.status == 200 && identified.json["status"] as? String == "identified")
        let latest = try #require(identified.json["latest_status_update"] as? [String: Any])
        #expect(latest["body"] as? String == update && latest["kind"] as? String == "status_update")
        let backwards = try app.admin(
            "POST", "/api/v1/incidents/\(id)/status", json: #"{"status":"investigating"}"#)
        #expect(backwards.status == 409)
        #expect(backwards.header("Content-Type") == "application/problem+json")
        let same = try app.admin("POST", "/api/v1/incidents/\(id)/status", json: #"{"status":"identified"}"#)
        #expect(same.status == 200)
        let monitoring = try app.admin(
            "POST", "/api/v1/incidents/\(id)/status",
            json: #"{"status":"monitoring","message":"Fix deployed"}"#)
        #expect(monitoring.json["mitigated_at"] as? String != nil)
        #expect(
            (monitoring.json["latest_status_update"] as? [String: Any])?["body"] as? String == "Fix deployed")
        let bad = try app.admin(
            "POST", "/api/v1/incidents/\(id)/status", json: #"{"status":"done","by":"a\nb"}"#)
        #expect(bad.status == 422 && Set(bad.errorFields) == ["status", "by"])
        let missing = try app.admin("POST", "/api/v1/incidents/\(id)/status", json: #"{"message":"hi"}"#)
        #expect(missing.status == 422 && missing.errorFields == ["status"])
        let resolved = try app.admin(
            "POST", "/api/v1/incidents/\(id)/status", json: #"{"status":"resolved","message":"All clear"}"#)
        #expect(
            resolved.json["status"] as? String == "resolved"
                && resolved.json["resolution"] as? String == "All clear")
        let after = try app.admin("POST", "/api/v1/incidents/\(id)/status", json: #"{"status":"monitoring"}"#)
        #expect(after.status == 409)
        #expect(
            try app.incidentTimelineKinds(id) == [
                "created", "status_changed", "status_update", "status_changed", "status_update",
                "status_changed",
                "status_update",
            ])
    }

    @Test func resolveCascadesToOpenAlertsAndASecondResolveConflicts() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let first = try app.request(
            "POST", "/api/v1/alerts",
            json: #"{"service":"db","source":"x","summary":"Primary down","severity":"critical"}"#,
            key: key)
        let incidentID = try #require(first.json["incident_id"] as? Int)
        let warning = try app.request(
            "POST", "/api/v1/alerts",
            json: #"{"service":"db","source":"x","summary":"Replica lag","severity":"warning"}"#,
            key: key)
        let warningID = try #require(warning.json["id"] as? Int)
        #expect(warning.json["incident_id"] is NSNull, "only critical alerts group")
        let attached = try app.request(
            "POST", "/api/v1/incidents/\(incidentID)/alerts", json: #"{"alert_ids":["ALR-\#(warningID)"]}"#,
            key: key)
        #expect(attached.status == 200 && attached.json["alert_count"] as? Int == 2)
        let resolved = try app.request(
            "POST", "/api/v1/incidents/\(incidentID)/resolve",
            json: #"{"resolution":"Failed over","by":"bob"}"#, key: key)
        #expect(resolved.status == 200 && resolved.json["resolved_by"] as? String == "bob")
        let statuses = (resolved.json["alerts"] as? [[String: Any]] ?? []).compactMap {
            $0["status"] as? String
        }
        #expect(statuses == ["resolved", "resolved"])
        #expect(try app.alert(warningID)["resolution"] as? String == "Failed over")
        let kinds = try app.incidentTimelineKinds(incidentID)
        #expect(kinds.suffix(3) == ["resolved", "alert_resolved", "alert_resolved"])
        let again = try app.request("POST", "/api/v1/incidents/\(incidentID)/resolve", key: key)
        #expect(again.status == 409)
        #expect(
            try app.request("POST", "/api/v1/incidents/\(incidentID)/acknowledge", key: key).status == 409)
        let attach = try app.request(
            "POST", "/api/v1/incidents/\(incidentID)/alerts", json: #"{"alert_ids":[\#(warningID)]}"#,
            key: key)
        #expect(attach.status == 409)
    }

    @Test func attachingValidatesIdsAndRefusesAlertsOfAnotherIncident() throws {
        let app = try TestApp()
        defer { app.stop() }
        let one = try app.declareIncident(#"{"title":"One","severity":"SEV3"}"#)
        let two = try app.declareIncident(#"{"title":"Two","severity":"SEV3"}"#)
        let oneID = try #require(one["id"] as? Int)
        let twoID = try #require(two["id"] as? Int)
        let alert = try app.admin(
            "POST", "/api/v1/alerts",
            json: #"{"service":"web","source":"x","summary":"5xx","severity":"error"}"#)
        let alertID = try #require(alert.json["id"] as? Int)
        #expect(
            try app.admin("POST", "/api/v1/incidents/\(oneID)/alerts", json: #"{"alert_ids":[\#(alertID)]}"#)
                .status == 200)
        let repeated = try app.admin(
            "POST", "/api/v1/incidents/\(oneID)/alerts", json: #"{"alert_ids":["\#(alertID)"]}"#)
        #expect(repeated.status == 200 && repeated.json["alert_count"] as? Int == 1)
        let stolen = try app.admin(
            "POST", "/api/v1/incidents/\(twoID)/alerts", json: #"{"alert_ids":[\#(alertID)]}"#)
        #expect(stolen.status == 409)
        let bad = try app.admin(
            "POST", "/api/v1/incidents/\(twoID)/alerts", json: #"{"alert_ids":["INC-1", "x", 999999]}"#)
        #expect(bad.status == 422 && bad.errorFields == ["alert_ids[0]", "alert_ids[1]"])
        let unknown = try app.admin(
            "POST", "/api/v1/incidents/\(twoID)/alerts", json: #"{"alert_ids":[999999]}"#)
        #expect(unknown.status == 422 && unknown.errorFields == ["alert_ids[0]"])
        let empty = try app.admin("POST", "/api/v1/incidents/\(twoID)/alerts", json: #"{"alert_ids":[]}"#)
        #expect(empty.status == 422 && empty.errorFields == ["alert_ids"])
        #expect(try app.alert(alertID)["incident"] as? String == "INC-\(oneID)")
        #expect(try app.admin("GET", "/api/v1/incidents/\(oneID)").json["services"] as? [String] == ["web"])
    }

    @Test func concurrentCriticalAlertsOverHTTPOpenOneIncident() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("checkout", criticalSeverity: "SEV1")
        let key = try app.makeKey(role: .responder)
        let incidentIDs = IncidentAPIBox<[Int]>([])
        let failures = IncidentAPIBox<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 10) { index in
            let body =
                #"{"service":"checkout","source":"p","summary":"Signal \#(index)","severity":"critical","dedup_key":"k\#(index)"}"#
            do {
                let response = try app.request("POST", "/api/v1/alerts", json: body, key: key)
                let id = response.json["incident_id"] as? Int
                incidentIDs.mutate { $0.append(id ?? -response.status) }
            } catch {
                failures.mutate { $0.append("\(error)") }
            }
        }
        #expect(failures.value.isEmpty)
        #expect(incidentIDs.value.count == 10 && Set(incidentIDs.value).count == 1)
        let open =
            try app.admin("GET", "/api/v1/incidents?status=open").json["items"] as? [[String: Any]] ?? []
        #expect(open.count == 1 && open.first?["severity"] as? String == "SEV1")
        let detail = try app.admin("GET", "/api/v1/incidents/\(incidentIDs.value.first ?? 0)")
        #expect(detail.json["alert_count"] as? Int == 10)
    }
}

/// A value shared between request threads of a test.
final class IncidentAPIBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func mutate(_ body: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&stored)
    }
}
