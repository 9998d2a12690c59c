import App
import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// The heartbeat expiry job (SPEC §12, §14, issue 17): a silent heartbeat raises its alert within
/// interval + grace + 1 s and a ping resolves it; time a server was down never counts; with
/// several processes each expiry is raised once.
@Suite struct HeartbeatExpiryJobTests {
    /// Polls `condition` every 20 ms for up to `seconds`; returns when it first held, or nil.
    private func waitFor(_ seconds: TimeInterval, _ condition: () throws -> Bool) throws -> Date? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return Date() }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    private func openExpiryAlerts(_ server: HeartbeatJobServer, _ name: String) throws -> Int64 {
        try server.scalar(
            "SELECT count(*) FROM alerts WHERE dedup_key = 'heartbeat:\(name)' AND status <> 'resolved'")
    }

    @Test func aSilentHeartbeatAlertsWithinIntervalPlusGracePlusOneSecondAndAPingResolvesIt() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let server = try HeartbeatJobServer(database: database)
        defer { server.stop() }
        let key = try SLAJobServer.makeKey(server.pool, role: .admin)
        try server.makeHeartbeat("nightly-backup", service: "db", interval: 2, grace: 1, key: key)
        let pingSent = Date()
        let ping = try server.request("POST", "/api/v1/heartbeats/nightly-backup/ping", key: key)
        #expect(ping.status == 200 && ping.json["state"] as? String == "healthy")
        let raised = try #require(try waitFor(8) { try openExpiryAlerts(server, "nightly-backup") == 1 })
        // Not before interval + grace after the ping, and within one second after that.
        let silence = raised.timeIntervalSince(pingSent)
        #expect(silence > 3 && silence <= 4 + 0.2, "alert after \(silence) s")
        let stored = try server.scalar(
            """
            SELECT (extract(epoch FROM a.first_seen_at - h.last_ping_at) * 1000)::int8 FROM alerts a
            JOIN heartbeats h ON h.alert_id = a.id WHERE h.name = 'nightly-backup'
            """)
        #expect(stored > 3000 && stored <= 4000, "stored silence \(stored) ms")
        let heartbeat = try server.request("GET", "/api/v1/heartbeats/nightly-backup", key: key)
        #expect(heartbeat.json["state"] as? String == "expired")
        let alertRef = try #require(heartbeat.json["alert"] as? String)
        let alert = try server.request("GET", "/api/v1/alerts/\(alertRef)", key: key).json
        #expect(alert["severity"] as? String == "critical" && alert["service"] as? String == "db")
        #expect((alert["summary"] as? String)?.hasPrefix("Heartbeat nightly-backup expired") == true)
        // The usual path: a critical alert opens an incident.
        let incident = try #require(alert["incident"] as? String)
        #expect(
            try server.request("GET", "/api/v1/incidents/\(incident)", key: key).json["status"] as? String
                == "investigating")
        // Raised once, however many passes follow.
        Thread.sleep(forTimeInterval: 1.2)
        #expect(
            try server.scalar("SELECT count(*) FROM alerts WHERE dedup_key = 'heartbeat:nightly-backup'") == 1
        )
        #expect(
            try server.scalar(
                "SELECT event_count::int8 FROM alerts WHERE dedup_key = 'heartbeat:nightly-backup'") == 1)
        // The next ping resolves it.
        let again = try server.request("GET", "/api/v1/heartbeats/nightly-backup/ping", key: key)
        #expect(again.json["state"] as? String == "healthy")
        let resolved = try server.request("GET", "/api/v1/alerts/\(alertRef)", key: key).json
        #expect(resolved["status"] as? String == "resolved")
        #expect(resolved["resolution"] as? String == "Heartbeat nightly-backup was pinged again.")
    }

    /// One run of the restart scenario: a heartbeat pinged at T0 by a process that then stops;
    /// an hour later a process started at `restartedProcessStart` (nil: at that moment) checks it.
    /// Returns the clock offsets (from the restart) at which the alert was absent and present.
    private func restart(processStart restartedProcessStart: Date?) throws -> (
        quietAt: [Double], raisedBy: Double?
    ) {
        let database = try TestDatabase.makeFreshDatabase()
        let clock = ManualClock(Date())
        let before = try HeartbeatJobServer(
            database: database, checkInterval: 0.02, processStartedAt: clock.now, clock: { clock.now })
        let key = try SLAJobServer.makeKey(before.pool, role: .admin)
        try before.makeHeartbeat("backup", service: "db", interval: 60, grace: 10, key: key)
        #expect(try before.request("GET", "/api/v1/heartbeats/backup/ping", key: key).status == 200)
        before.stop()
        // Down for an hour, far longer than the interval.
        clock.advance(by: 3600)
        let after = try HeartbeatJobServer(
            database: database, checkInterval: 0.02, processStartedAt: restartedProcessStart ?? clock.now,
            clock: { clock.now })
        defer { after.stop() }
        var quiet: [Double] = []
        for offset in [0.0, 69.0] {
            clock.advance(by: offset - (quiet.last ?? 0))
            Thread.sleep(forTimeInterval: 0.3)  // many passes of the job
            guard try openExpiryAlerts(after, "backup") == 0 else { return (quiet, offset) }
            quiet.append(offset)
        }
        clock.advance(by: 71 - 69)
        let raised = try waitFor(1) { try openExpiryAlerts(after, "backup") == 1 }
        return (quiet, raised == nil ? nil : 71)
    }

    @Test func aServerDownLongerThanTheIntervalRaisesNoFalseExpiryAfterItsRestart() throws {
        // Restarted: nothing until interval + grace (70 s) after the restart, then the alert.
        let restarted = try restart(processStart: nil)
        #expect(restarted.quietAt == [0, 69] && restarted.raisedBy == 71)
        // The same silence seen by a process that was up all along is an expiry at once.
        let upAllAlong = try restart(processStart: Date.distantPast)
        #expect(upAllAlong.quietAt == [] && upAllAlong.raisedBy == 0)
    }

    @Test func threeProcessesOnOneDatabaseRaiseEachExpiryOnce() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let clock = ManualClock(Date())
        let started = clock.now
        let servers = try (0..<3).map { _ in
            try HeartbeatJobServer(
                database: database, checkInterval: 0.02, processStartedAt: started, clock: { clock.now })
        }
        defer { servers.forEach { $0.stop() } }
        let key = try SLAJobServer.makeKey(servers[0].pool, role: .admin)
        for index in 0..<12 {
            try servers[index % 3].makeHeartbeat(
                "job-\(index)", service: "svc-\(index % 2)", interval: 10, grace: 0, key: key)
        }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try servers[0].scalar("SELECT count(*) FROM alerts") == 0)
        clock.advance(by: 11)
        _ = try waitFor(10) {
            try servers[0].scalar("SELECT count(*) FROM heartbeats WHERE expired_at IS NOT NULL") == 12
        }
        Thread.sleep(forTimeInterval: 0.3)  // more passes of every job: nothing raised twice
        #expect(try servers[1].scalar("SELECT count(*) FROM alerts WHERE dedup_key LIKE 'heartbeat:%'") == 12)
        #expect(try servers[1].scalar("SELECT count(*) FROM alerts WHERE event_count <> 1") == 0)
        #expect(
            try servers[2].scalar("SELECT count(*) FROM timeline_entries WHERE kind = 'alert_triggered'")
                == 12)
        // Critical by default: one incident per service, the other expiries joined it.
        #expect(try servers[2].scalar("SELECT count(*) FROM incidents") == 2)
    }

    @Test func theCheckIntervalComesFromTheEnvironmentInMilliseconds() throws {
        #expect(try HeartbeatExpiryJob.Settings(environment: [:]).interval == 0.5)
        #expect(
            try HeartbeatExpiryJob.Settings(environment: ["INCIDENTD_HEARTBEAT_CHECK_MS": "250"]).interval
                == 0.25)
        for bad in ["0", "10", "61000", "soon"] {
            #expect(throws: ConfigurationError.self, "\(bad)") {
                try HeartbeatExpiryJob.Settings(environment: ["INCIDENTD_HEARTBEAT_CHECK_MS": bad])
            }
        }
    }
}
