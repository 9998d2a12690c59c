import Foundation
import TestSupport
import Testing

/// SPEC §12, §14 heartbeats over the API: configuration by admins, pings by any of four methods
/// with a responder key or the service's routing key, 404 for a typo, no arming while disabled.
@Suite struct HeartbeatsAPITests {
    @Test func createListShowPatchAndDeleteInTheSpecShape() throws {
        let app = try TestApp()
        defer { app.stop() }
        let created = try app.makeHeartbeat("nightly-backup", service: "db", interval: 86_400, grace: 600)
        #expect(created["name"] as? String == "nightly-backup" && created["service"] as? String == "db")
        #expect(created["interval_seconds"] as? Int == 86_400 && created["grace_seconds"] as? Int == 600)
        #expect(created["severity"] as? String == "critical" && created["enabled"] as? Bool == true)
        #expect(created["state"] as? String == "new")
        #expect(created["last_ping_at"] is NSNull && created["alert"] is NSNull)
        #expect(created["ping_url"] as? String == "/api/v1/heartbeats/nightly-backup/ping")
        // The service by id works as well as by name (SPEC §14).
        let serviceID = try #require(try app.admin("GET", "/api/v1/services/db").json["id"] as? Int)
        let byID = try app.admin(
            "POST", "/api/v1/heartbeats",
            json: #"{"name":"watchdog","service":\#(serviceID),"interval_seconds":60}"#)
        #expect(byID.status == 201 && byID.json["service"] as? String == "db")
        #expect(byID.header("Location") == "/api/v1/heartbeats/watchdog")
        let list = try app.admin("GET", "/api/v1/heartbeats?limit=1")
        let first = try #require((list.json["items"] as? [[String: Any]])?.first)
        #expect(first["name"] as? String == "nightly-backup")
        let cursor = try #require(list.json["next_cursor"] as? String)
        let second = try app.admin("GET", "/api/v1/heartbeats?limit=1&cursor=\(cursor)")
        #expect((second.json["items"] as? [[String: Any]])?.first?["name"] as? String == "watchdog")
        #expect(second.json["next_cursor"] is NSNull)
        let patched = try app.admin(
            "PATCH", "/api/v1/heartbeats/watchdog", json: #"{"interval_seconds":120,"severity":"warning"}"#)
        #expect(patched.status == 200 && patched.json["interval_seconds"] as? Int == 120)
        #expect(
            patched.json["severity"] as? String == "warning" && patched.json["grace_seconds"] as? Int == 0)
        let viewer = try app.makeKey(role: .viewer)
        #expect(try app.request("GET", "/api/v1/heartbeats/watchdog", key: viewer).status == 200)
        #expect(try app.admin("DELETE", "/api/v1/heartbeats/watchdog").status == 204)
        #expect(try app.admin("GET", "/api/v1/heartbeats/watchdog").status == 404)
        #expect(
            try app.scalar("SELECT count(*) FROM audit_log WHERE action LIKE '% /api/v1/heartbeats%'") == 4)
    }

    @Test func badInputIsProblemJSONNamingTheField() throws {
        let app = try TestApp()
        defer { app.stop() }
        _ = try app.admin("POST", "/api/v1/services", json: #"{"name":"db"}"#)
        let zero = try app.admin(
            "POST", "/api/v1/heartbeats", json: #"{"name":"backup","service":"db","interval_seconds":0}"#)
        #expect(zero.status == 422 && zero.errorFields == ["interval_seconds"])
        #expect(zero.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        let unknownService = try app.admin(
            "POST", "/api/v1/heartbeats", json: #"{"name":"backup","service":"dbb","interval_seconds":60}"#)
        #expect(unknownService.status == 422 && unknownService.errorFields == ["service"])
        let several = try app.admin(
            "POST", "/api/v1/heartbeats",
            json: #"{"name":"a b","service":"db","interval_seconds":60,"grace_seconds":-1,"severity":"loud"}"#
        )
        #expect(several.errorFields == ["name", "grace_seconds", "severity"])
        let wrongType = try app.admin(
            "POST", "/api/v1/heartbeats", json: #"{"name":"b","service":"db","interval_seconds":"60"}"#)
        #expect(wrongType.status == 400 && wrongType.errorFields == ["interval_seconds"])
        try app.makeHeartbeat("backup", service: "db")
        #expect(
            try app.admin(
                "POST", "/api/v1/heartbeats", json: #"{"name":"backup","service":"db","interval_seconds":5}"#
            ).status == 409)
        let rename = try app.admin("PATCH", "/api/v1/heartbeats/backup", json: #"{"name":"backup2"}"#)
        #expect(rename.status == 422 && rename.errorFields == ["name"])
        #expect(try app.admin("GET", "/api/v1/heartbeats/nope").status == 404)
        #expect(try app.admin("PATCH", "/api/v1/heartbeats/nope", json: #"{"enabled":false}"#).status == 404)
        #expect(try app.admin("DELETE", "/api/v1/heartbeats/nope").status == 404)
        let responder = try app.makeKey(role: .responder)
        let forbidden = try app.request(
            "POST", "/api/v1/heartbeats", json: #"{"name":"x","service":"db","interval_seconds":5}"#,
            key: responder)
        #expect(forbidden.status == 403)
    }

    @Test func everyPingMethodRecordsAPingAndAnUnknownNameIs404() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeHeartbeat("backup", service: "db")
        let responder = try app.makeKey(role: .responder)
        for method in ["GET", "POST", "PUT", "PATCH"] {
            let pinged = try app.request(method, "/api/v1/heartbeats/backup/ping", key: responder)
            #expect(pinged.status == 200, "\(method): \(pinged.bodyText)")
            #expect(pinged.json["state"] as? String == "healthy")
            #expect(pinged.json["last_ping_at"] is String)
        }
        let typo = try app.request("GET", "/api/v1/heartbeats/bakcup/ping", key: responder)
        #expect(
            typo.status == 404 && typo.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        let viewer = try app.makeKey(role: .viewer)
        #expect(try app.request("POST", "/api/v1/heartbeats/backup/ping", key: viewer).status == 403)
        #expect(try app.request("GET", "/api/v1/heartbeats/backup/ping", key: nil).status == 401)
        // Every ping is audited, the GET ones too (they write).
        #expect(
            try app.scalar(
                "SELECT count(*) FROM audit_log WHERE action LIKE '% /api/v1/heartbeats/{name}/ping' AND status = 200"
            ) == 4)
    }

    @Test func aRoutingKeyPingsOnlyItsOwnServicesHeartbeats() throws {
        let app = try TestApp()
        defer { app.stop() }
        let dbKey = try app.makeRoutingKey(service: "db")
        try app.makeHeartbeat("backup", service: "db")
        try app.makeHeartbeat("billing-cron", service: "billing")
        #expect(try app.request("GET", "/api/v1/heartbeats/backup/ping", key: dbKey).status == 200)
        let other = try app.request("GET", "/api/v1/heartbeats/billing-cron/ping", key: dbKey)
        #expect(other.status == 403)
        #expect(try app.admin("GET", "/api/v1/heartbeats/billing-cron").json["last_ping_at"] is NSNull)
        #expect(
            try app.scalar("SELECT count(*) FROM audit_log WHERE actor_kind = 'routing_key' AND status = 403")
                == 1)
        // A routing key reads nothing else.
        #expect(try app.request("GET", "/api/v1/heartbeats/backup", key: dbKey).status == 401)
    }

    @Test func aStrayGetNeverArmsADisabledHeartbeat() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeHeartbeat("backup", service: "db", interval: 1, enabled: false)
        let stray = try app.request("GET", "/api/v1/heartbeats/backup/ping", key: app.adminKey)
        #expect(stray.status == 200)
        #expect(stray.json["state"] as? String == "disabled" && stray.json["enabled"] as? Bool == false)
        #expect(stray.json["last_ping_at"] is String)
        // Long past its interval, a disabled heartbeat raises nothing.
        #expect(try app.expireHeartbeats(now: Date().addingTimeInterval(3600)) == [])
        // Enabled, it is watched from then on: new until a ping.
        let enabled = try app.admin("PATCH", "/api/v1/heartbeats/backup", json: #"{"enabled":true}"#)
        #expect(enabled.json["state"] as? String == "new")
        #expect(try app.expireHeartbeats(now: Date().addingTimeInterval(3600)) == ["backup"])
    }

    @Test func pingsAreRefusedInReadOnlyModeWhateverTheMethod() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeHeartbeat("backup", service: "db")
        let on = try app.admin(
            "PUT", "/api/v1/admin/read-only",
            json: #"{"enabled":true,"reason":"restore","retry_after_seconds":9}"#)
        #expect(on.status == 200)
        for method in ["GET", "POST"] {
            let refused = try app.request(method, "/api/v1/heartbeats/backup/ping", key: app.adminKey)
            #expect(refused.status == 503 && refused.header("Retry-After") == "9", "\(method)")
        }
        #expect(try app.admin("GET", "/api/v1/heartbeats/backup").json["last_ping_at"] is NSNull)
        _ = try app.admin("PUT", "/api/v1/admin/read-only", json: #"{"enabled":false}"#)
        #expect(try app.request("GET", "/api/v1/heartbeats/backup/ping", key: app.adminKey).status == 200)
    }

    @Test func aPingResolvesTheExpiryAlertAndDisablingOrDeletingDoesToo() throws {
        let app = try TestApp()
        defer { app.stop() }
        for name in ["a", "b", "c"] { try app.makeHeartbeat(name, service: "db", interval: 30, grace: 5) }
        let later = Date().addingTimeInterval(36)
        #expect(try app.expireHeartbeats(now: later).sorted() == ["a", "b", "c"])
        // Raised once: a second pass finds nothing to expire.
        #expect(try app.expireHeartbeats(now: later.addingTimeInterval(60)) == [])
        let expired = try app.admin("GET", "/api/v1/heartbeats/a").json
        #expect(expired["state"] as? String == "expired")
        let alertRef = try #require(expired["alert"] as? String)
        let alert = try app.alert(alertRef)
        #expect(alert["dedup_key"] as? String == "heartbeat:a" && alert["status"] as? String == "triggered")
        #expect((alert["summary"] as? String)?.contains("Heartbeat a expired") == true)
        #expect(alert["severity"] as? String == "critical" && alert["incident_id"] is Int)
        let pinged = try app.request("POST", "/api/v1/heartbeats/a/ping", key: app.adminKey)
        #expect(pinged.json["state"] as? String == "healthy" && pinged.json["alert"] is NSNull)
        #expect(try app.alert(alertRef)["status"] as? String == "resolved")
        _ = try app.admin("PATCH", "/api/v1/heartbeats/b", json: #"{"enabled":false}"#)
        #expect(
            try app.alerts("status=triggered").compactMap { $0["dedup_key"] as? String } == ["heartbeat:c"])
        #expect(try app.admin("DELETE", "/api/v1/heartbeats/c").status == 204)
        #expect(try app.alerts("status=triggered").isEmpty)
        // SPEC §8: each expiry and each end of one is an event, naming the heartbeat and its alert.
        let events = try app.awaitEvents(6, query: "types=heartbeat.expired,heartbeat.recovered")
        #expect(events.filter { $0["type"] as? String == "heartbeat.expired" }.count == 3)
        #expect(events.filter { $0["type"] as? String == "heartbeat.recovered" }.count == 3)
        let recovered = try #require(
            events.first {
                $0["type"] as? String == "heartbeat.recovered" && $0["actor"] as? String == "test-admin"
            })
        let subject = recovered["subject"] as? [String: Any] ?? [:]
        #expect(subject["kind"] as? String == "heartbeat" && subject["ref"] as? String == "a")
        #expect(recovered["service"] as? String == "db" && recovered["severity"] as? String == "critical")
        #expect((recovered["data"] as? [String: Any])?["alert"] as? String == alertRef)
    }
}
