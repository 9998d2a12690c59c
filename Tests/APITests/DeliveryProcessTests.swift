import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// SPEC §9 with real processes (`.build/debug/incidentd serve`) and a real receiver: a server
/// killed with SIGKILL while deliveries are pending loses none once it runs again (at least
/// once, a repeat with the same `webhook-id`), and two servers on one database never send an
/// attempt twice.
@Suite struct DeliveryProcessTests {
    /// What both tests run the servers with: loopback allowed, short timeouts and lease so a
    /// dead process's claims come due within seconds.
    static let environment = [
        "INCIDENTD_OUTBOUND_ALLOW": "127.0.0.0/8", "INCIDENTD_HTTP_TIMEOUT": "2s",
        "INCIDENTD_DELIVERY_LEASE": "6s", "INCIDENTD_DELIVERY_BACKOFF": "100ms,100ms,100ms",
    ]

    @Test func aServerKilledWithDeliveriesPendingMakesEveryDeliveryOnceRestarted() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 2)
        defer { pool.close() }
        let key = try IncidentdProcess.makeAdminKey(pool)
        // A slow receiver: four senders make about forty deliveries a second.
        let receiver = try WebhookReceiver(control: ["delay": ["/slow": 0.1]])
        let first = try IncidentdProcess(conninfo: database.conninfo, environment: Self.environment)
        let channel = try Self.setUp(first, key: key, url: receiver.url("/slow"))
        for index in 0..<40 { try Self.trigger(first, key: key, index: index) }
        #expect(try eventually(20) { try receiver.requests().count >= 5 })
        first.kill9()
        let pending = try pool.withConnection {
            try DeliveryRepository($0).list(DeliveryListFilter(state: .pending), before: nil, limit: 500)
                .deliveries.count
        }
        try #require(pending > 0, "the kill came after every delivery was made: nothing to prove")

        let second = try IncidentdProcess(conninfo: database.conninfo, environment: Self.environment)
        defer { second.stop() }
        var deliveries: [[String: Any]] = []
        let done = try eventually(40) {
            deliveries = try Self.deliveries(second, key: key, channel: channel)
            return deliveries.count == 40 && deliveries.allSatisfy { $0["state"] as? String == "delivered" }
        }
        #expect(
            done, "pending \(pending) at the kill; now \(deliveries.map { $0["state"] ?? "" })\n\(second.log)"
        )
        let received = try receiver.requests().compactMap { $0.header("webhook-id") }
        let ids = Set(deliveries.compactMap { $0["id"] as? Int }.map(String.init))
        #expect(Set(received) == ids, "every delivery reached the receiver, under its own webhook-id")
        // A delivery sent by the killed process but not recorded went again, with the same
        // webhook-id: never more often than attempts were claimed.
        for delivery in deliveries {
            let id = "\(delivery["id"] ?? "")"
            #expect(received.filter { $0 == id }.count <= delivery["attempts"] as? Int ?? 0, "\(delivery)")
        }
    }

    @Test func twoServersOnOneDatabaseNeverSendAnAttemptTwice() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 2)
        defer { pool.close() }
        let key = try IncidentdProcess.makeAdminKey(pool)
        // Each delivery's first attempt fails (503), its second succeeds: two attempts each.
        let receiver = try WebhookReceiver(control: [
            "per_id": ["/twice": [[503, ""], [200, ""]]], "delay": ["/twice": 0.02],
        ])
        let first = try IncidentdProcess(conninfo: database.conninfo, environment: Self.environment)
        defer { first.stop() }
        let second = try IncidentdProcess(conninfo: database.conninfo, environment: Self.environment)
        defer { second.stop() }
        let channel = try Self.setUp(first, key: key, url: receiver.url("/twice"))
        for index in 0..<40 { try Self.trigger(index % 2 == 0 ? first : second, key: key, index: index) }
        var deliveries: [[String: Any]] = []
        let done = try eventually(40) {
            deliveries = try Self.deliveries(first, key: key, channel: channel)
            return deliveries.count == 40 && deliveries.allSatisfy { $0["state"] as? String == "delivered" }
        }
        #expect(done, "\(deliveries.map { $0["state"] ?? "" })\n\(first.log)\n\(second.log)")
        let received = try receiver.requests().compactMap { $0.header("webhook-id") }
        #expect(received.count == 80)
        for delivery in deliveries {
            let id = "\(delivery["id"] ?? "")"
            #expect(
                delivery["attempts"] as? Int == 2 && received.filter { $0 == id }.count == 2, "\(delivery)")
        }
        // Both processes sent: their /metrics add up to every attempt.
        let counts = try [first, second].map { try Self.attempts($0) }
        #expect(counts.map(\.delivered).reduce(0, +) == 40 && counts.map(\.retried).reduce(0, +) == 40)
        #expect(counts.allSatisfy { $0.delivered + $0.retried > 0 }, "\(counts)")
    }

    /// A service and a webhook channel for its `alert.triggered` events; the channel's id.
    static func setUp(_ server: IncidentdProcess, key: String, url: String) throws -> Int {
        let service = try server.request("POST", "/api/v1/services", json: #"{"name":"api"}"#, key: key)
        try #require(service.status == 201, "\(service.bodyText)")
        let channel = try server.request(
            "POST", "/api/v1/channels",
            json: #"{"name":"hook","kind":"webhook","url":"\#(url)","events":["alert.triggered"]}"#, key: key)
        try #require(channel.status == 201, "\(channel.bodyText)")
        return try #require(channel.json["id"] as? Int)
    }

    /// A warning alert with its own dedup key: one `alert.triggered` event, one delivery.
    static func trigger(_ server: IncidentdProcess, key: String, index: Int) throws {
        let answer = try server.request(
            "POST", "/api/v1/alerts",
            json:
                #"{"service":"api","source":"test","summary":"s\#(index)","severity":"warning","dedup_key":"k\#(index)"}"#,
            key: key)
        try #require(answer.status == 201, "\(answer.bodyText)")
    }

    static func deliveries(_ server: IncidentdProcess, key: String, channel: Int) throws -> [[String: Any]] {
        let listed = try server.request("GET", "/api/v1/deliveries?limit=500&channel=\(channel)", key: key)
        return listed.json["items"] as? [[String: Any]] ?? []
    }

    /// `incidentd_delivery_attempts_total` of one process.
    static func attempts(_ server: IncidentdProcess) throws -> (delivered: Int, retried: Int) {
        let text = try server.request("GET", "/metrics", key: nil).bodyText
        func value(_ outcome: String) -> Int {
            let prefix = #"incidentd_delivery_attempts_total{outcome="\#(outcome)"} "#
            let line = text.split(separator: "\n").first { $0.hasPrefix(prefix) }
            return line.flatMap { Double($0.dropFirst(prefix.count)) }.map { Int($0) } ?? -1
        }
        return (value("delivered"), value("retried"))
    }
}
