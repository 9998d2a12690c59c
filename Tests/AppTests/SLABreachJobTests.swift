import App
import Domain
import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// The SLA breach job (SPEC §3, issue 6): overdue incidents are marked and escalated exactly
/// once, whichever of three processes on one database gets there first; it stops cleanly.
@Suite struct SLABreachJobTests {
    @Test func threeServersOnOneDatabaseEscalateEachOverdueIncidentExactlyOnce() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let clock = ManualClock(Date())
        let servers = try (0..<3).map { _ in
            try SLAJobServer(database: database, interval: 0.02, clock: { clock.now })
        }
        defer { servers.forEach { $0.stop() } }
        let key = try SLAJobServer.makeKey(servers[0].pool, role: .responder)
        var ids: [Int] = []
        for index in 0..<30 {
            // Spread over the three processes, as behind a load balancer.
            let created = try servers[index % 3].request(
                "POST", "/api/v1/incidents", json: #"{"title":"Incident \#(index)","severity":"SEV1"}"#,
                key: key)
            #expect(created.status == 201)
            ids.append(try #require(created.json["id"] as? Int))
        }
        #expect(
            try servers[1].request("POST", "/api/v1/incidents/\(ids[0])/acknowledge", key: key).status == 200)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try count(servers[0].pool, "SELECT count(*) AS n FROM incidents WHERE sla_breached") == 0)
        // All 29 unacknowledged incidents pass their 15-minute deadline at the same moment for
        // all three jobs.
        clock.advance(by: 16 * 60)
        let deadline = Date().addingTimeInterval(15)
        while try count(servers[0].pool, "SELECT count(*) AS n FROM incidents WHERE sla_breached") < 29,
            Date() < deadline
        {
            Thread.sleep(forTimeInterval: 0.05)
        }
        // Several more passes of every job: nothing may be escalated twice.
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try count(servers[0].pool, "SELECT count(*) AS n FROM incidents WHERE sla_breached") == 29)
        #expect(
            try count(servers[0].pool, "SELECT count(*) AS n FROM timeline_entries WHERE kind = 'escalated'")
                == 29)
        #expect(
            try count(
                servers[0].pool,
                """
                SELECT count(*) AS n FROM (SELECT incident_id FROM timeline_entries WHERE kind = 'escalated'
                                           GROUP BY incident_id HAVING count(*) <> 1) d
                """) == 0)
        let acknowledged = try servers[2].request("GET", "/api/v1/incidents/\(ids[0])", key: key)
        #expect(acknowledged.json["sla_breached"] as? Bool == false)
        let breached = try servers[2].request("GET", "/api/v1/incidents/INC-\(ids[1])", key: key)
        #expect(breached.json["sla_breached"] as? Bool == true)
        #expect((breached.json["sla"] as? [String: Any])?["state"] as? String == "breached")
        let timeline = try servers[1].request("GET", "/api/v1/incidents/\(ids[1])/timeline", key: key)
        let kinds = (timeline.json["items"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds == ["created", "escalated"])
    }

    @Test func threeJobInstancesRacingOneDatabaseEscalateEachIncidentOnce() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool()
        defer { pool.close() }
        let now = Date()
        try pool.withTransaction { connection in
            let repository = IncidentRepository(connection)
            for index in 0..<50 {
                let new = try NewIncident.validate(
                    title: "Overdue \(index)", severity: index % 2 == 0 ? "SEV1" : "SEV2", summary: nil,
                    impact: nil,
                    commander: nil, services: nil, alertIDs: nil, startedAt: nil,
                    detectedAt: now.addingTimeInterval(-7200), now: now)
                _ = try repository.create(new, actor: "test", policy: .standard, now: now)
            }
        }
        let pools = (0..<3).map { _ in database.makePool() }
        defer { pools.forEach { $0.close() } }
        let jobs = pools.map {
            SLABreachJob(pool: $0, settings: SLABreachJob.Settings(interval: 0.01, batchSize: 3))
        }
        jobs.forEach { $0.start() }
        let deadline = Date().addingTimeInterval(15)
        while try count(pool, "SELECT count(*) AS n FROM incidents WHERE sla_breached") < 50,
            Date() < deadline
        {
            Thread.sleep(forTimeInterval: 0.02)
        }
        Thread.sleep(forTimeInterval: 0.1)
        jobs.forEach { $0.stop() }
        #expect(try count(pool, "SELECT count(*) AS n FROM timeline_entries WHERE kind = 'escalated'") == 50)
        #expect(
            try count(
                pool, "SELECT count(DISTINCT incident_id) AS n FROM timeline_entries WHERE kind = 'escalated'"
            ) == 50)
    }

    @Test func stopWakesASleepingJobAndReturnsPromptly() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool()
        defer { pool.close() }
        let job = SLABreachJob(pool: pool, settings: SLABreachJob.Settings(interval: 3600))
        job.start()
        Thread.sleep(forTimeInterval: 0.1)
        let started = Date()
        job.stop()
        #expect(Date().timeIntervalSince(started) < 1)
        job.stop()  // a second stop is harmless
        #expect(try job.runOnce() == 0, "nothing overdue")
    }

    @Test func intervalIsReadFromTheEnvironment() throws {
        #expect(try SLABreachJob.Settings(environment: [:]).interval == SLABreachJob.Settings.defaultInterval)
        #expect(try SLABreachJob.Settings(environment: ["INCIDENTD_SLA_CHECK_INTERVAL": "2s"]).interval == 2)
        #expect(try SLABreachJob.Settings(environment: ["INCIDENTD_SLA_CHECK_INTERVAL": "1m"]).interval == 60)
        #expect(throws: ConfigurationError.self) {
            try SLABreachJob.Settings(environment: ["INCIDENTD_SLA_CHECK_INTERVAL": "soon"])
        }
    }

    /// The `n` column of a one-row query.
    func count(_ pool: PostgresPool, _ query: PostgresQuery) throws -> Int64 {
        try pool.withConnection { try $0.query(query)[0].decode("n") }
    }
}
