import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// SPEC §9 channels: admin only, validation naming the field, the webhook secret shown once and
/// rotated with an overlap, the test event, and the fan-out of events to matching channels.
@Suite struct ChannelsAPITests {
    @Test func aWebhookChannelShowsItsSecretOnceAndAdminsOnlySeeChannels() throws {
        let app = try TestApp()
        defer { app.stop() }
        let created = try app.admin(
            "POST", "/api/v1/channels",
            json: #"{"name":"ops","kind":"webhook","url":"https://hooks.example.com/x"}"#)
        #expect(created.status == 201, "\(created.bodyText)")
        let secret = try #require(created.json["secret"] as? String)
        #expect(secret.hasPrefix("whsec_") && Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
        #expect(created.headers["Cache-Control"] == "no-store")
        #expect(created.json["events"] as? [String] == ["incident.*"])
        #expect(created.json["min_severity"] as? String == "SEV4" && created.json["enabled"] as? Bool == true)
        let id = try #require(created.json["id"] as? Int)
        let shown = try app.admin("GET", "/api/v1/channels/\(id)")
        #expect(shown.status == 200 && shown.json["secret"] == nil && shown.json["url"] as? String != nil)
        let listed = try app.admin("GET", "/api/v1/channels")
        #expect((listed.json["items"] as? [[String: Any]])?.count == 1)
        let viewer = try app.makeKey(role: .viewer)
        let responder = try app.makeKey(role: .responder)
        #expect(try app.request("GET", "/api/v1/channels", key: viewer).status == 403)
        #expect(try app.request("GET", "/api/v1/deliveries", key: responder).status == 403)
        #expect(
            try app.request(
                "POST", "/api/v1/channels", json: #"{"name":"x","kind":"slack","url":"http://a"}"#,
                key: responder
            )
            .status == 403)
        #expect(try app.request("GET", "/api/v1/events", key: viewer).status == 200)
    }

    @Test func emailAndSlackChannelsTakeTheirDestinations() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("payments")
        let one = try app.admin(
            "POST", "/api/v1/channels",
            json:
                #"{"name":"mail","kind":"email","to":"oncall@example.com","min_severity":"P1","services":["payments"]}"#
        )
        #expect(one.status == 201, "\(one.bodyText)")
        #expect(one.json["to"] as? [String] == ["oncall@example.com"] && one.json["url"] == nil)
        #expect(one.json["secret"] == nil && one.json["min_severity"] as? String == "SEV1")
        #expect(one.json["services"] as? [String] == ["payments"])
        let many = try app.admin(
            "POST", "/api/v1/channels",
            json: #"{"name":"mail2","kind":"email","to":["a@example.com","b@x.example.org"]}"#)
        #expect(many.json["to"] as? [String] == ["a@example.com", "b@x.example.org"])
        let slack = try app.admin(
            "POST", "/api/v1/channels",
            json: #"{"name":"chat","kind":"slack","url":"https://hooks.slack.example/T/B/x","events":["*"]}"#)
        #expect(
            slack.status == 201 && slack.json["secret"] == nil && slack.json["events"] as? [String] == ["*"])
        #expect(
            try app.admin(
                "POST", "/api/v1/channels", json: #"{"name":"mail","kind":"slack","url":"http://a.b"}"#
            ).status == 409)
    }

    @Test func badInputIsAProblemNamingEveryBadField() throws {
        let app = try TestApp()
        defer { app.stop() }
        let cases: [(String, [String])] = [
            (#"{"name":"a","kind":"pager"}"#, ["kind"]),
            (#"{"name":"a","kind":"webhook","url":"ftp://example.com"}"#, ["url"]),
            (#"{"name":"a","kind":"webhook","url":"not a url"}"#, ["url"]),
            (#"{"name":"a","kind":"webhook"}"#, ["url"]),
            (#"{"name":"a","kind":"email","to":["ok@example.com","not-an-address"]}"#, ["to[1]"]),
            (#"{"name":"a","kind":"email","to":"x@y"}"#, []),
            (
                #"{"name":"a","kind":"webhook","url":"http://h","events":["incident.opened","incident.exploded"]}"#,
                ["events[1]"]
            ),
            (
                #"{"name":"a","kind":"webhook","url":"http://h","services":["nope", 99]}"#,
                ["services[0]", "services[1]"]
            ),
            (
                #"{"kind":"email","url":"http://h","to":"@","min_severity":"SEV9","events":[]}"#,
                ["name", "url", "to[0]", "events", "min_severity"]
            ),
        ]
        for (body, fields) in cases {
            let response = try app.admin("POST", "/api/v1/channels", json: body)
            if fields.isEmpty {
                #expect(response.status == 201, "\(body): \(response.bodyText)")
            } else {
                #expect(response.status == 422, "\(body)")
                #expect(response.headers["Content-Type"]?.hasPrefix("application/problem+json") == true)
                #expect(response.errorFields == fields, "\(body): \(response.bodyText)")
            }
        }
    }

    @Test func rotatingTheSecretKeepsThePreviousOneSigningForADay() throws {
        let app = try TestApp()
        defer { app.stop() }
        let created = try app.admin(
            "POST", "/api/v1/channels",
            json: #"{"name":"ops","kind":"webhook","url":"https://hooks.example.com/x"}"#
        )
        let id = try #require(created.json["id"] as? Int)
        let first = try #require(created.json["secret"] as? String)
        let rotated = try app.admin("PATCH", "/api/v1/channels/\(id)", json: #"{"rotate_secret":true}"#)
        #expect(rotated.status == 200, "\(rotated.bodyText)")
        let second = try #require(rotated.json["secret"] as? String)
        #expect(second != first && second.hasPrefix("whsec_"))
        #expect(rotated.json["previous_secret_valid_until"] is String)
        let record = try #require(
            try app.pool.withConnection { try ChannelRepository($0).find(id: Int64(id)) })
        #expect(record.signingSecrets(at: Date()) == [second, first])
        #expect(record.signingSecrets(at: Date().addingTimeInterval(86_400 + 60)) == [second])
        #expect(try app.admin("GET", "/api/v1/channels/\(id)").json["secret"] == nil)
        let email = try app.admin(
            "POST", "/api/v1/channels", json: #"{"name":"m","kind":"email","to":"a@b.c"}"#)
        let bad = try app.admin(
            "PATCH", "/api/v1/channels/\(email.json["id"] as? Int ?? 0)",
            json: #"{"rotate_secret":true,"kind":"webhook"}"#)
        #expect(bad.status == 422 && bad.errorFields == ["kind", "rotate_secret"])
    }

    @Test func theTestEventGoesToThatChannelOnlyAndADisabledChannelRefusesIt() throws {
        let app = try TestApp()
        defer { app.stop() }
        let target = try app.admin(
            "POST", "/api/v1/channels",
            json: #"{"name":"a","kind":"webhook","url":"http://h/a","events":["*"]}"#)
        let other = try app.admin(
            "POST", "/api/v1/channels",
            json: #"{"name":"b","kind":"webhook","url":"http://h/b","events":["*"]}"#)
        let id = try #require(target.json["id"] as? Int)
        let test = try app.admin("POST", "/api/v1/channels/\(id)/test")
        #expect(test.status == 202, "\(test.bodyText)")
        let eventID = try #require(test.json["event_id"] as? Int)
        let deliveries =
            try app.admin("GET", "/api/v1/deliveries?event=\(eventID)").json["items"] as? [[String: Any]]
        #expect(deliveries?.map { $0["channel_id"] as? Int } == [id])
        #expect(deliveries?.first?["state"] as? String == "pending")
        #expect(
            (try app.awaitEvents(1, query: "types=test").first?["subject"] as? [String: Any])?["id"] as? Int
                == id)
        let otherID = try #require(other.json["id"] as? Int)
        #expect(
            try app.admin("PATCH", "/api/v1/channels/\(otherID)", json: #"{"enabled":false}"#).json[
                "disabled_reason"] as? String == "disabled by test-admin")
        #expect(try app.admin("POST", "/api/v1/channels/\(otherID)/test").status == 409)
        let enabled = try app.admin("PATCH", "/api/v1/channels/\(otherID)", json: #"{"enabled":true}"#)
        #expect(enabled.json["enabled"] as? Bool == true && enabled.json["disabled_reason"] is NSNull)
        #expect(try app.admin("DELETE", "/api/v1/channels/\(id)").status == 204)
        #expect(try app.admin("GET", "/api/v1/channels/\(id)").status == 404)
        // Its deliveries went with it.
        #expect(
            (try app.admin("GET", "/api/v1/deliveries?event=\(eventID)").json["items"] as? [Any])?.isEmpty
                == true)
    }

    @Test func eventsFanOutToEveryEnabledChannelWhoseFiltersMatchInTheEventsTransaction() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("db")
        try app.makeService("web")
        func channel(_ name: String, _ extra: String) throws -> Int {
            let response = try app.admin(
                "POST", "/api/v1/channels",
                json: #"{"name":"\#(name)","kind":"webhook","url":"http://h/\#(name)"\#(extra)}"#)
            try #require(response.status == 201, "\(response.bodyText)")
            return try #require(response.json["id"] as? Int)
        }
        let everything = try channel("all", #","events":["*"]"#)
        let incidents = try channel("incidents", "")
        let dbOnly = try channel("db", #","services":["db"]"#)
        let webOnly = try channel("web", #","services":["web"]"#)
        let sev1 = try channel("sev1", #","min_severity":"SEV1""#)
        let alerts = try channel("alerts", #","events":["alert.triggered"],"min_severity":"SEV1""#)
        let off = try channel("off", #","events":["*"],"enabled":false"#)
        // A critical alert on db: alert.triggered (critical) and incident.opened (SEV2).
        let response = try app.admin(
            "POST", "/api/v1/alerts",
            json: #"{"service":"db","source":"t","summary":"down","severity":"critical"}"#)
        #expect(response.status == 201)
        let events = try app.awaitEvents(2)
        let byType = Dictionary(
            uniqueKeysWithValues: events.map { ($0["type"] as? String ?? "", $0["id"] as? Int ?? 0) })
        func channels(of type: String) throws -> Set<Int> {
            let items =
                try app.admin("GET", "/api/v1/deliveries?event=\(byType[type] ?? 0)").json["items"]
                as? [[String: Any]]
            return Set((items ?? []).compactMap { $0["channel_id"] as? Int })
        }
        #expect(try channels(of: "alert.triggered") == [everything, alerts])
        #expect(try channels(of: "incident.opened") == [everything, incidents, dbOnly])
        _ = (webOnly, sev1, off)
        // Nothing matched → nothing written: a warning alert on web reaches only "all".
        _ = try app.admin("POST", "/api/v1/alerts", json: #"{"service":"web","source":"t","summary":"slow"}"#)
        let warning = try #require(try app.awaitEvents(3).last?["id"] as? Int)
        let items =
            try app.admin("GET", "/api/v1/deliveries?event=\(warning)").json["items"] as? [[String: Any]]
        #expect(items?.compactMap { $0["channel_id"] as? Int } == [everything])
    }
}
