import API
import App
import Foundation
import Postgres
import TestSupport
import Testing

/// The maintenance transition job (SPEC §12, issue 17) with real servers on one real PostgreSQL:
/// a critical alert held back by a window opens its incident within 2 s of the window's end while
/// another service is unaffected; with three processes, every start and end of every period (one-off
/// and recurring) is handled exactly once.
@Suite struct MaintenanceWindowJobTests {
    static func stamp(_ date: Date) -> String { RFC3339.format(date) }

    /// Waits (up to 15 s) until `condition` holds; returns whether it did.
    static func eventually(_ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return try condition()
    }

    @Test func aHeldBackCriticalAlertOpensItsIncidentWithinTwoSecondsOfTheEndAndAnotherServiceIsUnaffected()
        throws
    {
        let database = try TestDatabase.makeFreshDatabase()
        // Two processes with the job as `serve` runs it (default interval).
        let servers = try (0..<2).map { _ in try MaintenanceJobServer(database: database) }
        defer { servers.forEach { $0.stop() } }
        let key = try SLAJobServer.makeKey(servers[0].pool, role: .admin)
        for name in ["db", "web"] {
            _ = try servers[0].expectSuccess(
                "POST", "/api/v1/services", json: #"{"name":"\#(name)"}"#, key: key)
        }
        let ends = Date().addingTimeInterval(4)
        let window = try servers[0].expectSuccess(
            "POST", "/api/v1/maintenance-windows",
            json:
                #"{"description":"Failover drill","services":["db"],"starts_at":"\#(Self.stamp(Date().addingTimeInterval(-1)))","ends_at":"\#(Self.stamp(ends))"}"#,
            key: key)
        let ref = try #require(window["ref"] as? String)
        func trigger(_ server: MaintenanceJobServer, _ service: String, _ key: String) throws -> [String: Any]
        {
            try server.expectSuccess(
                "POST", "/api/v1/alerts",
                json:
                    #"{"service":"\#(service)","source":"probe","summary":"\#(service) down","severity":"critical","dedup_key":"down"}"#,
                key: key)
        }
        let held = try trigger(servers[1], "db", key)
        let id = try #require(held["id"] as? Int)
        #expect(held["suppressed_by"] as? String == ref && held["incident_id"] is NSNull)
        let web = try trigger(servers[0], "web", key)
        #expect(
            web["suppressed_by"] is NSNull && web["incident_id"] is Int, "service web is not in the window")
        #expect(try Self.eventually { try servers[0].maintenanceEvents().count == 1 }, "maintenance.started")

        // No incident while the window lasts (nothing to page anyone about)...
        while Date() < ends.addingTimeInterval(-0.3) {
            let alert = try servers[0].expectSuccess("GET", "/api/v1/alerts/\(id)", key: key)
            try #require(alert["incident_id"] is NSNull, "an incident opened before the window ended")
            Thread.sleep(forTimeInterval: 0.1)
        }
        // ...and one within 2 s of its end, as if the alert had just triggered.
        var incident: Int?
        let opened = try Self.eventually {
            incident =
                try servers[1].expectSuccess("GET", "/api/v1/alerts/\(id)", key: key)["incident_id"] as? Int
            return incident != nil
        }
        let late = Date().timeIntervalSince(ends)
        #expect(opened && late < 2, "the incident came \(late) s after the end")
        let detail = try servers[0].expectSuccess("GET", "/api/v1/incidents/\(incident ?? 0)", key: key)
        #expect(detail["services"] as? [String] == ["db"] && detail["severity"] as? String == "SEV2")
        // Several passes of both jobs later: one start and one end, whichever process did them.
        Thread.sleep(forTimeInterval: 1.2)
        let events = try servers[0].maintenanceEvents()
        #expect(events.map(\.type) == ["maintenance.started", "maintenance.ended"])
        #expect(events.allSatisfy { $0.window == ref })
        let timeline = try servers[0].expectSuccess("GET", "/api/v1/alerts/\(id)/timeline", key: key)
        let kinds = (timeline["items"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds.contains("maintenance_ended") && kinds.contains("alert_attached"), "\(kinds)")
    }

    @Test func threeProcessesHandleEveryStartAndEndOfEveryPeriodOnce() throws {
        let database = try TestDatabase.makeFreshDatabase()
        // Saturday 2027-01-02 23:00 UTC, moved by hand: the jobs see the clock jump over periods.
        let saturday = Date(timeIntervalSince1970: 1_798_930_800)
        let clock = ManualClock(saturday)
        let servers = try (0..<3).map { _ in
            try MaintenanceJobServer(
                database: database, settings: MaintenanceWindowJob.Settings(interval: 0.02),
                clock: { clock.now })
        }
        defer { servers.forEach { $0.stop() } }
        let key = try SLAJobServer.makeKey(servers[0].pool, role: .admin)
        _ = try servers[0].expectSuccess("POST", "/api/v1/services", json: #"{"name":"db"}"#, key: key)
        // The seeds' window over every service, and ten one-off windows over db, 5 minutes apart.
        let weekly = try servers[1].expectSuccess(
            "POST", "/api/v1/maintenance-windows",
            json:
                #"{"description":"Weekly maintenance","rrule":"FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0","time_zone":"UTC","duration_seconds":7200}"#,
            key: key)
        let weeklyRef = try #require(weekly["ref"] as? String)
        var oneOffs: [String] = []
        for index in 0..<10 {
            let start = saturday.addingTimeInterval(Double(index) * 300)
            let created = try servers[index % 3].expectSuccess(
                "POST", "/api/v1/maintenance-windows",
                json:
                    #"{"description":"Step \#(index)","services":["db"],"starts_at":"\#(Self.stamp(start))","ends_at":"\#(Self.stamp(start.addingTimeInterval(1800)))"}"#,
                key: key)
            oneOffs.append(try #require(created["ref"] as? String))
        }
        func count(_ type: String, _ windows: [String]) throws -> Int {
            try servers[0].maintenanceEvents().filter { $0.type == type && windows.contains($0.window) }.count
        }
        // 23:20: the first five have started; 00:40: all ten are over (the last five started
        // and ended while the clock jumped, and still get both events).
        clock.advance(by: 20 * 60)
        #expect(try Self.eventually { try count("maintenance.started", oneOffs) == 5 })
        clock.advance(by: 80 * 60)
        #expect(try Self.eventually { try count("maintenance.ended", oneOffs) == 10 })
        #expect(try count("maintenance.started", oneOffs) == 10)

        // Three Sundays of the weekly window, and an alert it holds back on the first.
        let sunday = Date(timeIntervalSince1970: 1_798_941_600)  // 2027-01-03T02:00:00Z
        var alertID = 0
        for (week, (into, out)) in [(1.0, 7201.0), (1800.0, 7800.0), (3600.0, 7200.0)].enumerated() {
            let start = sunday.addingTimeInterval(Double(week) * 7 * 86_400)
            clock.advance(by: start.addingTimeInterval(into).timeIntervalSince(clock.now))
            #expect(try Self.eventually { try count("maintenance.started", [weeklyRef]) == week + 1 })
            if week == 0 {
                let held = try servers[2].expectSuccess(
                    "POST", "/api/v1/alerts",
                    json: #"{"service":"db","source":"probe","summary":"db down","severity":"critical"}"#,
                    key: key)
                #expect(held["suppressed_by"] as? String == weeklyRef && held["incident_id"] is NSNull)
                alertID = held["id"] as? Int ?? 0
            }
            clock.advance(by: start.addingTimeInterval(out).timeIntervalSince(clock.now))
            #expect(try Self.eventually { try count("maintenance.ended", [weeklyRef]) == week + 1 })
            if week == 0 {
                let alert = try servers[0].expectSuccess("GET", "/api/v1/alerts/\(alertID)", key: key)
                #expect(alert["incident_id"] is Int, "handed on at the end of the period")
            }
        }
        // Many more passes of all three jobs: still exactly one start and one end per period.
        Thread.sleep(forTimeInterval: 0.3)
        let events = try servers[0].maintenanceEvents()
        for window in oneOffs + [weeklyRef] {
            let mine = events.filter { $0.window == window }
            let periods = Set(mine.map(\.startsAt))
            for period in periods {
                #expect(
                    mine.filter { $0.startsAt == period }.map(\.type) == [
                        "maintenance.started", "maintenance.ended",
                    ],
                    "\(window) \(period)")
            }
        }
        #expect(
            Set(events.filter { $0.window == weeklyRef }.map(\.startsAt))
                == ["2027-01-03T02:00:00Z", "2027-01-10T02:00:00Z", "2027-01-17T02:00:00Z"])
        #expect(events.count == 2 * 10 + 2 * 3)
        let listed = try servers[1].expectSuccess("GET", "/api/v1/maintenance-windows/\(weeklyRef)", key: key)
        #expect(listed["state"] as? String == "upcoming")
        #expect(listed["next_starts_at"] as? String == Self.stamp(sunday.addingTimeInterval(21 * 86_400)))
    }
}

/// A window the job cannot handle (here a row whose rule no longer parses) is logged and left
/// for the next pass; the other windows due are handled in the same pass.
@Suite struct MaintenanceWindowJobFailureTests {
    @Test func aWindowThatFailsDoesNotHoldUpTheOthers() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool()
        defer { pool.close() }
        let now = Date()
        try pool.withConnection { connection in
            // Due first (the earliest start), and unreadable.
            _ = try connection.execute(
                """
                INSERT INTO maintenance_windows (description, all_services, starts_at, rrule, time_zone, rule_start,
                                                 duration_seconds, next_starts_at, next_ends_at, created_by)
                VALUES ('broken', true, \(now.addingTimeInterval(-7200)), 'GARBAGE', 'UTC', '2026-01-01T00:00:00', 60,
                        \(now.addingTimeInterval(-7200)), \(now.addingTimeInterval(-7100)), 'tests')
                """)
            _ = try connection.execute(
                """
                INSERT INTO maintenance_windows (description, all_services, starts_at, ends_at, next_starts_at,
                                                 next_ends_at, created_by)
                VALUES ('fine', true, \(now.addingTimeInterval(-60)), \(now.addingTimeInterval(3600)),
                        \(now.addingTimeInterval(-60)), \(now.addingTimeInterval(3600)), 'tests')
                """)
        }
        let job = MaintenanceWindowJob(pool: pool)
        let handled = try job.runOnce()
        #expect(
            handled.count == 1 && handled.first?.window.description == "fine"
                && handled.first?.started == true)
        // The next pass tries the broken one again and still handles nothing else twice.
        #expect(try job.runOnce().isEmpty)
    }
}
