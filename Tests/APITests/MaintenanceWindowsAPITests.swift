import API
import Foundation
import Postgres
import TestSupport
import Testing

/// Maintenance windows over the real server and a real PostgreSQL (SPEC §12, issue 17): the
/// routes, bad input named, and suppression on every way an alert comes in. The transition job's
/// own acceptance (the end handled within 2 s, once across processes) is in AppTests.
@Suite struct MaintenanceWindowsAPITests {
    static func window(_ app: TestApp, _ json: String) throws -> [String: Any] {
        let created = try app.admin("POST", "/api/v1/maintenance-windows", json: json)
        try #require(
            created.status == 201, "POST /maintenance-windows: \(created.status) \(created.bodyText)")
        return created.json
    }

    /// The `n` of a one-row count query, straight from the database.
    static func count(_ app: TestApp, _ sql: PostgresQuery) throws -> Int64 {
        try app.pool.withConnection { try $0.query(sql)[0].decode("n") }
    }

    static func stamp(_ date: Date) -> String {
        RFC3339.format(date)
    }

    @Test func alertsOfAServiceInAWindowAreHeldBackOnEveryPathAndHandedOnWhenItIsCancelled() throws {
        let app = try TestApp()
        defer { app.stop() }
        // Each sender's format takes the keys of its own integration kind (issue 20).
        let dbPagerDutyKey = try app.makeRoutingKey(service: "db", kind: "pagerduty")
        let dbAlertmanagerKey = try app.makeRoutingKey(service: "db", kind: "alertmanager")
        let dbKey = try app.makeRoutingKey(service: "db", kind: "runbook")
        let webKey = try app.makeRoutingKey(service: "web", kind: "runbook")
        let now = Date()
        let window = try Self.window(
            app,
            #"{"description":"PostgreSQL upgrade","services":["db"],"starts_at":"\#(Self.stamp(now.addingTimeInterval(-60)))","ends_at":"\#(Self.stamp(now.addingTimeInterval(3600)))"}"#
        )
        let ref = try #require(window["ref"] as? String)
        #expect(window["state"] as? String == "active" && window["services"] as? [String] == ["db"])

        func native(
            _ key: String, _ severity: String, service: String = "db", headers: [(String, String)] = []
        )
            throws -> [String: Any]
        {
            let answer = try app.request(
                "POST", "/api/v1/alerts",
                json:
                    #"{"service":"\#(service)","source":"probe","summary":"\#(key) failing","severity":"\#(severity)","dedup_key":"\#(key)"}"#,
                key: app.adminKey, headers: headers)
            try #require((200..<300).contains(answer.status), "\(key): \(answer.bodyText)")
            return answer.json
        }
        // Native route: a critical alert takes the usual path, a warning the group-commit batch,
        // and a warning raised to critical by its repeat is grouped after the batch: all held back.
        let critical = try native("primary-down", "critical")
        let warning = try native("replica-lag", "warning")
        _ = try native("disk-full", "warning")
        let raised = try native("disk-full", "critical")
        let withKey = try native("checkpoint", "critical", headers: [("Idempotency-Key", "maint-1")])
        // PagerDuty Events v2, Alertmanager and the seed runbooks' route, with db's routing key.
        let pagerDuty = try app.request(
            "POST", "/v2/enqueue",
            json:
                #"{"routing_key":"\#(dbPagerDutyKey)","event_action":"trigger","dedup_key":"pd-db","payload":{"summary":"Connections exhausted","source":"db1","severity":"critical"}}"#,
            key: nil)
        #expect(pagerDuty.status == 202, "\(pagerDuty.bodyText)")
        let alertmanager = try app.request(
            "POST", "/api/v1/integrations/alertmanager",
            json: """
                {"version":"4","groupKey":"{}:{alertname=\\"PostgresDown\\"}","truncatedAlerts":0,"status":"firing",
                 "receiver":"incidentd","groupLabels":{},"commonLabels":{},"commonAnnotations":{},
                 "externalURL":"http://alertmanager:9093","alerts":[{"status":"firing",
                 "labels":{"alertname":"PostgresDown","severity":"critical"},"annotations":{"summary":"Postgres down"},
                 "startsAt":"2026-11-22T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"00000000000000db"}]}
                """, key: dbAlertmanagerKey)
        #expect(alertmanager.status == 200, "\(alertmanager.bodyText)")
        let runbook = try app.request(
            "POST", "/alerts/trigger",
            json: #"{"type":"critical","title":"Replication broken","source":"cron"}"#,
            key: dbKey)
        #expect(runbook.status == 201, "\(runbook.bodyText)")
        // Service web is not in the window: its critical alert opens an incident.
        let web = try app.request(
            "POST", "/alerts/trigger", json: #"{"type":"critical","title":"Web down","source":"cron"}"#,
            key: webKey)
        let webAlert = try #require((web.json["alert"] as? [String: Any]))
        #expect(webAlert["suppressed_by"] is NSNull && webAlert["incident"] is String, "\(web.bodyText)")

        let held = try app.alerts("service=db")
        #expect(held.count == 7)
        for alert in held {
            #expect(alert["suppressed_by"] as? String == ref, "\(alert["dedup_key"] ?? "")")
            #expect(
                alert["incident_id"] is NSNull, "\(alert["dedup_key"] ?? "") opened or joined an incident")
        }
        #expect(critical["suppressed_by"] as? String == ref && warning["suppressed_by"] as? String == ref)
        #expect(raised["severity"] as? String == "critical" && raised["incident"] is NSNull)
        #expect(withKey["suppressed_by"] as? String == ref)
        let incidents =
            try app.admin("GET", "/api/v1/incidents?limit=500").json["items"] as? [[String: Any]] ?? []
        #expect(incidents.count == 1 && (incidents.first?["services"] as? [String]) == ["web"])
        // The log says who was held back; no incident event names db, so no channel heard of it.
        let triggered = try app.awaitEvents(8, query: "types=alert.triggered&service=db")
        #expect(triggered.count == 8)
        #expect(triggered.allSatisfy { ($0["data"] as? [String: Any])?["suppressed_by"] as? String == ref })
        #expect(
            try Self.count(
                app, "SELECT count(*) AS n FROM events WHERE type LIKE 'incident.%' AND service = 'db'") == 0)

        // Cancelled while in force: the window ends now and hands every held alert on at once.
        let cancelled = try app.admin("DELETE", "/api/v1/maintenance-windows/\(ref)")
        #expect(cancelled.status == 200, "\(cancelled.bodyText)")
        #expect(cancelled.json["state"] as? String == "past" && cancelled.json["cancelled_at"] is String)
        #expect(cancelled.json["next_starts_at"] is NSNull)
        let handed = try app.alerts("service=db")
        let incidentIDs = Set(
            handed.filter { $0["severity"] as? String == "critical" }.compactMap { $0["incident_id"] as? Int }
        )
        #expect(incidentIDs.count == 1, "the critical alerts of db share one new incident: \(incidentIDs)")
        #expect(handed.filter { $0["severity"] as? String == "critical" }.count == 6)
        #expect(handed.first { $0["dedup_key"] as? String == "replica-lag" }?["incident_id"] is NSNull)
        #expect(handed.allSatisfy { $0["suppressed_by"] as? String == ref }, "kept as the record")
        let timeline = try app.alertTimeline(critical["id"] ?? 0)
        #expect(timeline.contains { $0["kind"] as? String == "maintenance_ended" })
        let lifecycle = try app.awaitEvents(2, query: "types=maintenance.started,maintenance.ended")
        #expect(
            lifecycle.compactMap { $0["type"] as? String } == ["maintenance.started", "maintenance.ended"])
        let ended = try #require(lifecycle.last)
        #expect((ended["subject"] as? [String: Any])?["ref"] as? String == ref)
        #expect(ended["service"] as? String == "db")
        #expect(((ended["data"] as? [String: Any])?["released_alerts"] as? [String])?.count == 7)
        #expect((ended["data"] as? [String: Any])?["cancelled"] as? Bool == true)
        #expect(((ended["data"] as? [String: Any])?["incidents"] as? [String])?.count == 1)
        // From now on db's alerts take the usual path again.
        let after = try native("primary-down-2", "critical")
        #expect(after["suppressed_by"] is NSNull && after["incident_id"] as? Int == incidentIDs.first)
    }

    @Test func theSeedsSundayWindowIsListedOnTheNextSundayAtTwoUTC() throws {
        let app = try TestApp()
        defer { app.stop() }
        let created = try Self.window(
            app,
            #"{"description":"Weekly maintenance","public":true,"rrule":"FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0","time_zone":"UTC","duration_seconds":7200}"#
        )
        let ref = try #require(created["ref"] as? String)
        #expect(created["rrule"] as? String == "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0")
        #expect(created["time_zone"] as? String == "UTC" && created["duration_seconds"] as? Int == 7200)
        #expect(created["ends_at"] is NSNull && created["all_services"] as? Bool == true)
        #expect(created["public"] as? Bool == true && created["services"] as? [String] == [])
        // The Sunday 02:00 UTC whose two hours have not ended yet, found with Foundation's calendar.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let now = Date()
        var sunday = calendar.nextDate(
            after: now.addingTimeInterval(-7200),
            matching: DateComponents(hour: 2, minute: 0, second: 0, weekday: 1),
            matchingPolicy: .strict)!
        if sunday.addingTimeInterval(7200) <= now { sunday = sunday.addingTimeInterval(7 * 86_400) }
        let inForce = sunday <= now
        let state = inForce ? "active" : "upcoming"
        let listed = try app.admin("GET", "/api/v1/maintenance-windows?state=\(state)")
        let item = try #require(
            (listed.json["items"] as? [[String: Any]])?.first { $0["ref"] as? String == ref })
        #expect(item["state"] as? String == state)
        #expect(item["next_starts_at"] as? String == Self.stamp(sunday))
        #expect(item["next_ends_at"] as? String == Self.stamp(sunday.addingTimeInterval(7200)))
        let other = inForce ? "upcoming" : "active"
        let elsewhere =
            try app.admin("GET", "/api/v1/maintenance-windows?state=\(other)").json["items"]
            as? [[String: Any]]
        #expect(elsewhere?.isEmpty == true)
        #expect(
            (try app.admin("GET", "/api/v1/maintenance-windows?state=past").json["items"] as? [Any])?.isEmpty
                == true)
        let byNumber = try app.admin("GET", "/api/v1/maintenance-windows/\(created["id"] ?? 0)")
        #expect(byNumber.status == 200 && byNumber.json["ref"] as? String == ref)
        #expect(try app.admin("GET", "/api/v1/maintenance-windows/\(ref.lowercased())").status == 200)
    }

    @Test func badInputIsAProblemNamingTheField() throws {
        let app = try TestApp()
        defer { app.stop() }
        _ = try app.admin("POST", "/api/v1/services", json: #"{"name":"db"}"#)
        let soon = Self.stamp(Date().addingTimeInterval(3600))
        let later = Self.stamp(Date().addingTimeInterval(7200))
        let cases: [(String, [String])] = [
            (
                #"{"description":"x","rrule":"FREQ=MONTHLY","time_zone":"UTC","duration_seconds":60}"#,
                ["rrule"]
            ),
            (
                #"{"description":"x","rrule":"FREQ=WEEKLY;BYDAY=SU","time_zone":"Mars/Olympus","duration_seconds":60}"#,
                ["time_zone"]
            ),
            (#"{"description":"x","starts_at":"\#(later)","ends_at":"\#(soon)"}"#, ["ends_at"]),
            (
                #"{"description":"x","services":["db","nope",7777],"starts_at":"\#(soon)","ends_at":"\#(later)"}"#,
                ["services[1]", "services[2]"]
            ),
            (
                #"{"description":"x","rrule":"FREQ=DAILY","time_zone":"UTC","duration_seconds":0}"#,
                ["duration_seconds"]
            ),
            (
                #"{"description":"x","rrule":"FREQ=DAILY","time_zone":"UTC","duration_seconds":-60}"#,
                ["duration_seconds"]
            ),
            (#"{"services":["db"]}"#, ["description", "starts_at"]),
        ]
        for (body, fields) in cases {
            let answer = try app.admin("POST", "/api/v1/maintenance-windows", json: body)
            #expect(answer.status == 422, "\(body): \(answer.status) \(answer.bodyText)")
            #expect(answer.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(answer.errorFields == fields, "\(body): \(answer.bodyText)")
        }
        // A body that does not decode (not a timestamp) is a 400, naming the field too.
        let malformed = try app.admin(
            "POST", "/api/v1/maintenance-windows",
            json: #"{"description":"x","starts_at":"tomorrow","ends_at":"\#(later)"}"#)
        #expect(malformed.status == 400 && malformed.errorFields == ["starts_at"], "\(malformed.bodyText)")
        let state = try app.admin("GET", "/api/v1/maintenance-windows?state=soon")
        #expect(state.status == 422 && state.errorFields == ["state"])
        let cursor = try app.admin("GET", "/api/v1/maintenance-windows?cursor=bogus")
        #expect(cursor.status == 422 && cursor.errorFields == ["cursor"])
        for path in ["MW-999", "INC-1", "abc", "0"] {
            #expect(try app.admin("GET", "/api/v1/maintenance-windows/\(path)").status == 404, "\(path)")
            #expect(try app.admin("DELETE", "/api/v1/maintenance-windows/\(path)").status == 404, "\(path)")
        }
        // Viewers read, responders plan and cancel.
        let viewer = try app.makeKey(role: .viewer)
        let refused = try app.request(
            "POST", "/api/v1/maintenance-windows",
            json: #"{"description":"x","starts_at":"\#(soon)","ends_at":"\#(later)"}"#, key: viewer)
        #expect(refused.status == 403)
        #expect(try app.request("GET", "/api/v1/maintenance-windows", key: viewer).status == 200)
        let responder = try app.makeKey(role: .responder)
        let planned = try app.request(
            "POST", "/api/v1/maintenance-windows",
            json: #"{"description":"x","starts_at":"\#(soon)","ends_at":"\#(later)"}"#, key: responder)
        #expect(planned.status == 201 && planned.header("Location") == "/api/v1/maintenance-windows/MW-1")
    }

    @Test func cancellingAgainChangesNothingAndAnEndedWindowIsAConflict() throws {
        let app = try TestApp()
        defer { app.stop() }
        let now = Date()
        let upcoming = try Self.window(
            app,
            #"{"description":"Later","starts_at":"\#(Self.stamp(now.addingTimeInterval(3600)))","ends_at":"\#(Self.stamp(now.addingTimeInterval(7200)))"}"#
        )
        let ref = try #require(upcoming["ref"] as? String)
        #expect(upcoming["state"] as? String == "upcoming")
        let first = try app.admin("DELETE", "/api/v1/maintenance-windows/\(ref)")
        #expect(first.status == 200 && first.json["state"] as? String == "past")
        let again = try app.admin("DELETE", "/api/v1/maintenance-windows/\(ref)")
        #expect(
            again.status == 200
                && again.json["cancelled_at"] as? String == first.json["cancelled_at"] as? String)
        // Cancelled before it began: no period, no events (counted in the table, committed or not
        // yet readable through the log alike).
        #expect(try Self.count(app, "SELECT count(*) AS n FROM events WHERE type LIKE 'maintenance.%'") == 0)
        let brief = try Self.window(
            app,
            #"{"description":"Brief","starts_at":"\#(Self.stamp(now.addingTimeInterval(-60)))","ends_at":"\#(Self.stamp(Date().addingTimeInterval(1)))"}"#
        )
        Thread.sleep(forTimeInterval: 1.2)
        let over = try app.admin("DELETE", "/api/v1/maintenance-windows/\(brief["ref"] ?? "")")
        #expect(over.status == 409, "\(over.bodyText)")
        let past =
            try app.admin("GET", "/api/v1/maintenance-windows?state=past").json["items"] as? [[String: Any]]
        #expect(Set(past?.compactMap { $0["ref"] as? String } ?? []) == [ref, brief["ref"] as? String ?? ""])
    }
}
