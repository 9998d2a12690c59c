import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

@testable import API

/// `POST /api/v1/alerts` through group commit over HTTP: same answers, same rows (alert,
/// timeline entry, audit row) as a request alone, and the cases a shared statement cannot do
/// still take the usual path.
@Suite struct AlertsGroupCommitAPITests {
    private func count(_ app: TestApp, _ sql: PostgresQuery) throws -> Int64 {
        let connection = try app.database.connect()
        defer { connection.close() }
        return try connection.query(sql)[0].decode("n", as: Int64.self)
    }

    @Test func concurrentTriggersWithACheckedKeyShareCommitsAndKeepEveryRow() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder, name: "sender")
        let first = try app.request(
            "POST", "/api/v1/alerts",
            json: #"{"service":"batch","source":"t","summary":"first","dedup_key":"k0"}"#,
            key: key)
        #expect(first.status == 201)  // alone: the key was not cached yet, the service is new
        let statuses = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 30) { index in
            let response = try? app.request(
                "POST", "/api/v1/alerts",
                json:
                    #"{"service":"batch","source":"t","summary":"s\#(index)","dedup_key":"k\#(index + 1)"}"#,
                key: key)
            statuses.withLock { $0.append(response?.status ?? 0) }
        }
        #expect(statuses.withLock { $0 } == Array(repeating: 201, count: 30))
        #expect(app.environment.alertBatches.stats.requests == 30)
        #expect(try count(app, "SELECT count(*)::int8 AS n FROM alerts") == 31)
        #expect(
            try count(app, "SELECT count(*)::int8 AS n FROM timeline_entries WHERE kind = 'alert_triggered'")
                == 31)
        #expect(
            try count(
                app,
                """
                SELECT count(*)::int8 AS n FROM audit_log
                WHERE action = 'POST /api/v1/alerts' AND status = 201 AND actor_name = 'sender'
                """) == 31)
    }

    @Test func concurrentRepeatsOfOneKeyWithTwoContentsCountEveryTriggerOnce() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder, name: "sender")
        @Sendable func body(_ summary: String) -> String {
            #"{"service":"storm","source":"t","summary":"\#(summary)","dedup_key":"flap"}"#
        }
        #expect(try app.request("POST", "/api/v1/alerts", json: body("up"), key: key).status == 201)
        let answers = Mutex<[(status: Int, events: Int)]>([])
        // Equal repeats share a row of a batch's upsert; the other content goes into the
        // batch's next statement (ADR 0004). Either way every trigger counts once.
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            let response = try? app.request(
                "POST", "/api/v1/alerts", json: body(index % 2 == 0 ? "up" : "down"), key: key)
            answers.withLock {
                $0.append((response?.status ?? 0, response?.json["event_count"] as? Int ?? 0))
            }
        }
        let all = answers.withLock { $0 }
        #expect(all.allSatisfy { $0.status == 200 })
        #expect(all.map(\.events).sorted() == Array(2...41))
        #expect(app.environment.alertBatches.stats.requests == 40)
        #expect(try count(app, "SELECT sum(event_count)::int8 AS n FROM alerts") == 41)
        #expect(try count(app, "SELECT count(*)::int8 AS n FROM alerts") == 1)
        #expect(
            try count(
                app, "SELECT count(*)::int8 AS n FROM timeline_entries WHERE kind = 'alert_deduplicated'")
                == 40)
        #expect(
            try count(
                app,
                "SELECT count(*)::int8 AS n FROM audit_log WHERE action = 'POST /api/v1/alerts' AND status = 200"
            )
                == 40)
    }

    @Test func repeatIsDeduplicatedThroughGroupCommitWith200() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let body = #"{"service":"db","source":"pg-1","summary":"replication lag","dedup_key":"lag"}"#
        #expect(try app.request("POST", "/api/v1/alerts", json: body, key: key).status == 201)
        let again = try app.request("POST", "/api/v1/alerts", json: body, key: key)
        #expect(again.status == 200)
        #expect(again.json["deduplicated"] as? Bool == true && again.json["event_count"] as? Int == 2)
        #expect(again.header("Location") == nil)
        #expect(app.environment.alertBatches.stats.requests == 1)
        #expect(try count(app, "SELECT count(*)::int8 AS n FROM audit_log WHERE status = 200") == 1)
    }

    @Test func criticalAlertsNewServicesAndIdempotencyKeysTakeTheUsualPath() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 200)  // key now cached
        let critical = try app.request(
            "POST", "/api/v1/alerts",
            json: #"{"service":"pay","source":"lb","summary":"5xx","severity":"critical"}"#, key: key)
        #expect(critical.status == 201 && critical.json["incident_id"] as? Int != nil)
        let newService = try app.request(
            "POST", "/api/v1/alerts", json: #"{"service":"brand-new","source":"cron","summary":"late"}"#,
            key: key)
        #expect(newService.status == 201)
        let keyed = try app.request(
            "POST", "/api/v1/alerts", json: #"{"service":"pay","source":"lb","summary":"slow"}"#, key: key,
            headers: [("Idempotency-Key", "once")])
        #expect(keyed.status == 201)
        // The new service's trigger went to the batch, found no service and wrote nothing there.
        #expect(app.environment.alertBatches.stats.requests == 1)
        #expect(try count(app, "SELECT count(*)::int8 AS n FROM alerts") == 3)
        #expect(
            try count(app, "SELECT count(*)::int8 AS n FROM audit_log WHERE action = 'POST /api/v1/alerts'")
                == 3)
    }

    @Test func metricsCountGroupCommitsAndShowTheCredentialCacheTrusted() throws {
        let app = try TestApp()
        defer { app.stop() }
        let registry = MetricsRegistry()
        registry.attach(server: app.server, pool: app.pool, environment: app.environment)
        let key = try app.makeKey(role: .responder)
        for index in 0..<3 {
            let response = try app.request(
                "POST", "/api/v1/alerts",
                json: #"{"service":"edge","source":"t","summary":"s","dedup_key":"m\#(index)"}"#, key: key)
            #expect(response.status == 201)
        }
        let text = registry.exposition()
        // The first trigger checked the key and created the service the usual way.
        #expect(sampleValue(text, "incidentd_group_commit_statements_total") == 2)
        #expect((sampleValue(text, "incidentd_group_commit_batches_total") ?? 0) >= 1)
        #expect(sampleValue(text, "incidentd_credential_cache_listening") == 1)
        app.credentialListener.stop()
        #expect(sampleValue(registry.exposition(), "incidentd_credential_cache_listening") == 0)
    }

    @Test func routingKeyTriggersGoThroughGroupCommitToTheirOwnServiceOnly() throws {
        let app = try TestApp()
        defer { app.stop() }
        let routingKey = try app.makeRoutingKey(service: "queue")
        #expect(try app.admin("POST", "/api/v1/services", json: #"{"name":"other"}"#).status == 201)
        let body = #"{"source":"worker-3","summary":"backlog","dedup_key":"backlog"}"#
        // The first one checks the key against the database (the usual path).
        #expect(try app.request("POST", "/api/v1/alerts", json: body, key: routingKey).status == 201)
        let again = try app.request("POST", "/api/v1/alerts", json: body, key: routingKey)
        #expect(again.status == 200 && again.json["service"] as? String == "queue")
        let named = try app.request(
            "POST", "/api/v1/alerts", json: #"{"service":"queue","source":"w","summary":"slow"}"#,
            key: routingKey)
        #expect(named.status == 201)
        #expect(app.environment.alertBatches.stats.requests == 2)
        let elsewhere = try app.request(
            "POST", "/api/v1/alerts", json: #"{"service":"other","source":"w","summary":"slow"}"#,
            key: routingKey)
        #expect(elsewhere.status == 403)
        #expect(app.environment.alertBatches.stats.requests == 2)
        #expect(
            try count(app, "SELECT count(*)::int8 AS n FROM audit_log WHERE actor_kind = 'routing_key'") == 4)
    }

    @Test func exhaustedPoolAnswers503AfterOneWaitNotTwo() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let body = #"{"service":"full","source":"t","summary":"pool exhausted"}"#
        #expect(try app.request("POST", "/api/v1/alerts", json: body, key: key).status == 201)
        // Every pooled connection (8) borrowed and held.
        let release = DispatchSemaphore(value: 0)
        let held = DispatchGroup()
        for _ in 0..<8 {
            held.enter()
            Thread {
                _ = try? app.pool.withConnection { _ in
                    held.leave()
                    release.wait()
                }
            }.start()
        }
        held.wait()
        let started = ContinuousClock.now
        let response = try app.request("POST", "/api/v1/alerts", json: body, key: key)
        let elapsed = ContinuousClock.now - started
        for _ in 0..<8 { release.signal() }
        #expect(response.status == 503 && response.header("Retry-After") != nil)
        // One acquire timeout (5 s), not a second one on the usual path.
        #expect(elapsed < .seconds(8))
    }
}
