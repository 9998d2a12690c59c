import Domain
import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// `GET /api/v1/events` filters and paging, `GET /api/v1/deliveries` and redelivery, and the
/// delivery families of `/metrics` (SPEC §8, §9).
@Suite struct EventsAndDeliveriesAPITests {
    @Test func eventsFilterByTypeFamilyAndServiceAndPageByAfter() throws {
        let app = try TestApp()
        defer { app.stop() }
        for (service, severity) in [("db", "critical"), ("web", "warning"), ("db", "warning")] {
            let response = try app.admin(
                "POST", "/api/v1/alerts",
                json:
                    #"{"service":"\#(service)","source":"t","summary":"s \#(service)","severity":"\#(severity)","dedup_key":"\#(service)\#(severity)"}"#
            )
            try #require(response.status == 201)
        }
        let all = try app.awaitEvents(4)
        #expect(
            all.compactMap { $0["type"] as? String } == [
                "alert.triggered", "incident.opened", "alert.triggered", "alert.triggered",
            ])
        #expect(try app.events(query: "types=incident.*").count == 1)
        #expect(try app.events(query: "types=alert.triggered,incident.opened").count == 4)
        #expect(try app.events(query: "types=alert.triggered&types=incident.opened").count == 4)
        #expect(try app.events(query: "service=web").compactMap { $0["service"] as? String } == ["web"])
        let dbID = try app.admin("GET", "/api/v1/services/db").json["id"] as? Int ?? 0
        #expect(try app.events(query: "service=\(dbID)").count == 3)
        // Paging: two at a time, resuming with after = the last id (or cursor = next_cursor).
        let page = try app.admin("GET", "/api/v1/events?limit=2")
        let items = page.json["items"] as? [[String: Any]] ?? []
        #expect(
            items.count == 2 && page.json["next_cursor"] as? String == String(items[1]["id"] as? Int ?? 0))
        let next = try app.admin(
            "GET", "/api/v1/events?limit=2&cursor=\(page.json["next_cursor"] as? String ?? "")")
        #expect(
            (next.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? Int }
                == all.suffix(2).compactMap { $0["id"] as? Int })
        #expect(next.json["next_cursor"] is NSNull)
        #expect(try app.events(after: all[1]["id"] as? Int).count == 2)
        for (query, field) in [
            ("types=alert.exploded", "types"), ("service=nope", "service"), ("after=abc", "after"),
            ("after=999999", "after"), ("limit=0", "limit"),
        ] {
            let response = try app.admin("GET", "/api/v1/events?\(query)")
            #expect(
                response.status == 422 && response.errorFields == [field], "\(query): \(response.bodyText)")
        }
    }

    @Test func deliveriesAreListedByStateChannelAndEventAndOnlyDeliveredOrDeadOnesRedeliver() throws {
        let app = try TestApp()
        defer { app.stop() }
        let created = try app.admin(
            "POST", "/api/v1/channels",
            json: #"{"name":"a","kind":"webhook","url":"http://h/a","events":["*"]}"#)
        let channel = try #require(created.json["id"] as? Int)
        let test = try app.admin("POST", "/api/v1/channels/\(channel)/test")
        let delivery = try #require((test.json["delivery"] as? [String: Any])?["id"] as? Int)
        let listed = try app.admin("GET", "/api/v1/deliveries?state=pending&channel=\(channel)")
        let item = try #require((listed.json["items"] as? [[String: Any]])?.first)
        #expect(
            item["id"] as? Int == delivery && item["attempts"] as? Int == 0
                && item["next_attempt_at"] is String)
        #expect(
            (try app.admin("GET", "/api/v1/deliveries?state=dead").json["items"] as? [Any])?.isEmpty == true)
        #expect(try app.admin("POST", "/api/v1/deliveries/\(delivery)/redeliver").status == 409)
        #expect(try app.admin("POST", "/api/v1/deliveries/999999/redeliver").status == 404)
        // A worker claimed it and the receiver refused it: dead.
        try app.pool.withTransaction { connection in
            let repository = DeliveryRepository(connection)
            let claimed = try repository.claim(now: Date(), limit: 10, lease: 60)
            try #require(claimed.count == 1)
            try repository.record(
                claimed[0],
                DeliveryAttemptRecord(result: .dead(disableChannel: false), status: 404, error: "HTTP 404"),
                now: Date())
        }
        let dead = try app.admin("GET", "/api/v1/deliveries?state=dead").json["items"] as? [[String: Any]]
        #expect(dead?.first?["last_status"] as? Int == 404 && dead?.first?["next_attempt_at"] is NSNull)
        let again = try app.admin("POST", "/api/v1/deliveries/\(delivery)/redeliver")
        #expect(
            again.status == 202 && again.json["state"] as? String == "pending"
                && again.json["attempts"] as? Int == 0)
        for (query, field) in [("state=lost", "state"), ("channel=x", "channel"), ("event=-1", "event")] {
            let response = try app.admin("GET", "/api/v1/deliveries?\(query)")
            #expect(response.status == 422 && response.errorFields == [field], "\(query)")
        }
        let audit = try app.admin("GET", "/api/v1/audit?limit=500").json["items"] as? [[String: Any]] ?? []
        #expect(audit.contains { ($0["target"] as? String) == "/api/v1/deliveries/\(delivery)/redeliver" })
    }

    @Test func metricsShowDeliveriesByStateAttemptsAndLatency() throws {
        let server = try MetricsTestServer()
        defer { server.stop() }
        try server.pool.withTransaction { connection in
            let channel = try ChannelRepository(connection).create(
                try NewChannel.validate(
                    name: "a", kind: "slack", url: "http://h/a", to: nil, events: nil, services: nil,
                    minSeverity: nil, enabled: nil),
                serviceIDs: [], secret: nil, now: Date())
            let event = try EventRepository(connection).append(
                .channelTest(channelID: channel.id, channelName: "a", actor: "t"), now: Date())
            _ = try DeliveryRepository(connection).enqueue(eventID: event, channelID: channel.id, now: Date())
        }
        server.registry.deliveries.record(.delivered, latency: 0.3)
        server.registry.deliveries.record(.retried)
        let text = try server.get("/metrics").bodyText
        for line in [
            #"incidentd_deliveries{state="pending"} 1"#, #"incidentd_deliveries{state="dead"} 0"#,
            #"incidentd_delivery_attempts_total{outcome="delivered"} 1"#,
            #"incidentd_delivery_attempts_total{outcome="retried"} 1"#,
            #"incidentd_delivery_latency_seconds_bucket{le="0.25"} 0"#,
            #"incidentd_delivery_latency_seconds_bucket{le="0.5"} 1"#,
            "incidentd_delivery_latency_seconds_count 1",
        ] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
    }
}
