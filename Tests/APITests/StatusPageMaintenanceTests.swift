import Foundation
import TestSupport
import Testing

@testable import API

/// Maintenance on the public status page (issue 19, SPEC §13–§14): public windows that are in
/// progress or start within 72 hours, in Statuspage's shape and on the HTML page; nothing beyond
/// the horizon, nothing cancelled, nothing non-public; and the page following the clock alone
/// (a window coming within the horizon, starting, ending) without ever a stale answer or 304.
@Suite struct StatusPageMaintenanceTests {
    static let maintenanceStatuses: Set<String> = ["scheduled", "in_progress", "verifying", "completed"]

    /// Plans a maintenance window; returns its ref (`MW-n`).
    static func plan(_ app: TestApp, _ json: String) throws -> String {
        let created = try app.admin("POST", "/api/v1/maintenance-windows", json: json)
        try #require(created.status == 201, "POST /maintenance-windows: \(created.bodyText)")
        return try #require(created.json["ref"] as? String)
    }

    /// A one-off window's body.
    static func once(_ description: String, services: String, isPublic: Bool, from start: Date, to end: Date)
        -> String
    {
        #"{"description":"\#(description)","services":\#(services),"public":\#(isPublic),"starts_at":"\#(RFC3339.format(start))","ends_at":"\#(RFC3339.format(end))"}"#
    }

    /// Components API (`api`), Database (`db`) and Docs (no service), and these windows: public
    /// on `db` in progress, public on `api` in 24 h, public over every service in 100 h (beyond
    /// the horizon), public daily at the whole hour one to two hours ahead (recurring; it cannot
    /// start while the test runs), public in 30 h but cancelled, and non-public on `api` in
    /// progress.
    struct World {
        let active: String
        let tomorrow: String
        let beyond: String
        let daily: String
        let cancelled: String
        let hidden: String
        static let texts = [
            "Database failover drill", "API gateway upgrade", "Storage migration far ahead",
            "Nightly index rebuild", "Called-off network work", "INTERNAL-ONLY-WINDOW-3a7f",
        ]
    }

    static func world(_ app: TestApp, now: Date) throws -> World {
        try app.makeService("api")
        try app.makeService("db")
        _ = try app.makeComponent(#"{"name":"API","services":["api"]}"#)
        _ = try app.makeComponent(#"{"name":"Database","services":["db"]}"#)
        _ = try app.makeComponent(#"{"name":"Docs","services":[]}"#)
        let texts = World.texts
        let hour = 3_600.0
        let active = try plan(
            app, once(texts[0], services: #"["db"]"#, isPublic: true, from: now - 600, to: now + hour))
        let tomorrow = try plan(
            app,
            once(texts[1], services: #"["api"]"#, isPublic: true, from: now + 24 * hour, to: now + 26 * hour))
        let beyond = try plan(
            app, once(texts[2], services: "[]", isPublic: true, from: now + 100 * hour, to: now + 102 * hour))
        let dailyHour = Calendar(identifier: .gregorian).dateComponents(
            in: TimeZone(identifier: "UTC")!, from: now + 2 * hour
        ).hour!
        let daily = try plan(
            app,
            #"{"description":"\#(texts[3])","services":["db"],"public":true,"rrule":"FREQ=DAILY;BYHOUR=\#(dailyHour);BYMINUTE=0","time_zone":"UTC","duration_seconds":1800}"#
        )
        let cancelled = try plan(
            app,
            once(texts[4], services: #"["api"]"#, isPublic: true, from: now + 30 * hour, to: now + 31 * hour))
        try #require(try app.admin("DELETE", "/api/v1/maintenance-windows/\(cancelled)").status == 200)
        let hidden = try plan(
            app, once(texts[5], services: #"["api"]"#, isPublic: false, from: now - 600, to: now + hour))
        return World(
            active: active, tomorrow: tomorrow, beyond: beyond, daily: daily, cancelled: cancelled,
            hidden: hidden)
    }

    @Test func publicWindowsWithin72HoursAreListedInStatuspageShapeAndNoOthers() throws {
        let app = try TestApp()
        defer { app.stop() }
        let world = try Self.world(app, now: Date())
        let summary = try app.anonymous("/status/api/v2/summary.json").json
        let listed = try #require(summary["scheduled_maintenances"] as? [[String: Any]])
        // Soonest first: the one in progress, the daily one within two hours, tomorrow's.
        #expect(listed.map { $0["id"] as? String } == [world.active, world.daily, world.tomorrow])
        for maintenance in listed {
            #expect(Self.maintenanceStatuses.contains(maintenance["status"] as? String ?? ""))
            #expect(maintenance["impact"] as? String == "maintenance")
            for key in [
                "id", "name", "status", "created_at", "updated_at", "monitoring_at", "resolved_at", "impact",
                "shortlink", "started_at", "page_id", "incident_updates", "components", "scheduled_for",
                "scheduled_until",
            ] {
                #expect(maintenance.keys.contains(key), "scheduled maintenance lacks \(key)")
            }
        }
        let active = listed[0]
        #expect(active["name"] as? String == "Database failover drill")
        #expect(active["status"] as? String == "in_progress")
        #expect((active["components"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Database"])
        let tomorrow = listed[2]
        #expect(tomorrow["status"] as? String == "scheduled")
        #expect((tomorrow["components"] as? [[String: Any]])?.map { $0["name"] as? String } == ["API"])
        // The recurring window shows its next occurrence, as the maintenance API has it.
        let daily = try app.admin("GET", "/api/v1/maintenance-windows/\(world.daily)").json
        #expect(listed[1]["scheduled_for"] as? String == daily["next_starts_at"] as? String)
        #expect(listed[1]["scheduled_until"] as? String == daily["next_ends_at"] as? String)

        let upcoming = try app.anonymous("/status/api/v2/scheduled-maintenances/upcoming.json").json
        #expect(
            (upcoming["scheduled_maintenances"] as? [[String: Any]])?.map { $0["id"] as? String } == [
                world.daily, world.tomorrow,
            ])
        let inProgress = try app.anonymous("/status/api/v2/scheduled-maintenances/active.json").json
        #expect(
            (inProgress["scheduled_maintenances"] as? [[String: Any]])?.map { $0["id"] as? String } == [
                world.active
            ])

        // The window in progress puts Database under maintenance; the non-public one leaves API be.
        let components = try #require(summary["components"] as? [[String: Any]])
        let status = { (name: String) in
            components.first { $0["name"] as? String == name }?["status"] as? String
        }
        #expect(status("Database") == "under_maintenance")
        #expect(status("API") == "operational")
        #expect(status("Docs") == "operational")

        // Beyond the horizon, cancelled or not public: on no public route, in no form.
        for path in publicStatusRoutes {
            let text = try app.anonymous(path).bodyText
            for ref in [world.beyond, world.cancelled, world.hidden] {
                #expect(
                    !text.contains("\"\(ref)\"") && !text.contains("id=\"\(ref)\""), "\(path) shows \(ref)")
            }
            for hidden in [World.texts[2], World.texts[4], World.texts[5]] {
                #expect(!text.contains(hidden), "\(path) shows \(hidden)")
            }
        }
    }

    @Test func thePageShowsMaintenanceInAHeadlessAndATextBrowser() throws {
        let app = try TestApp()
        defer { app.stop() }
        _ = try Self.world(app, now: Date())
        let url = "http://127.0.0.1:\(app.port)/status"
        let text = try StatusPagePublicTests.run("w3m", ["-dump", "-cols", "120", url])
        for expected in [
            "Scheduled maintenance", "In progress", "Database failover drill", "Scheduled",
            "API gateway upgrade",
            "Nightly index rebuild", "Under maintenance", "Affects: Database", "Affects: API",
        ] {
            #expect(text.contains(expected), "w3m -dump lacks \(expected):\n\(text)")
        }
        for hidden in ["Storage migration far ahead", "Called-off network work", "INTERNAL-ONLY-WINDOW-3a7f"]
        {
            #expect(!text.contains(hidden), "w3m -dump shows \(hidden)")
        }
        let output = try testOutputDirectory("status-page")
        let png = output.appendingPathComponent("status-maintenance.png")
        try? FileManager.default.removeItem(at: png)
        let profile = output.appendingPathComponent("chromium-profile-maintenance").path
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)"]
        _ = try StatusPagePublicTests.run(
            "chromium", flags + ["--window-size=420,1000", "--screenshot=\(png.path)", url])
        let bytes = try Data(contentsOf: png)
        #expect(bytes.count > 1_000)
        #expect(Array(bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        let dom = try StatusPagePublicTests.run("chromium", flags + ["--dump-dom", url])
        #expect(dom.contains("API gateway upgrade"))
        #expect(dom.contains("Database failover drill"))
        #expect(!dom.contains("Storage migration far ahead"))
        #expect(!dom.contains("INTERNAL-ONLY-WINDOW-3a7f"))
    }

    @Test func thePageFollowsTheClockAndEveryWriteWithoutAStaleAnswerOr304() throws {
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        let clock = StatusClock(start)
        var settings = APISettings()
        // Only the page's own limit and the writes end an entry here, not its age.
        settings.responseCacheTTL = 30 * 86_400
        let app = try TestApp(settings: settings, clock: { clock.now })
        defer { app.stop() }
        try app.makeService("db")
        let component = try app.makeComponent(#"{"name":"Database","services":["db"]}"#)
        let hour = 3_600.0
        let ref = try Self.plan(
            app,
            Self.once(
                "Replica rebuild", services: #"["db"]"#, isPublic: true, from: start + 73 * hour,
                to: start + 75 * hour))
        let paths = ["/status", "/status/api/v2/summary.json"]
        var tags: [String: String] = [:]
        /// Each page, revalidated with the tag last seen: 304 exactly when `changed` is false;
        /// then `check` on the full answer.
        func look(changed: Bool, _ check: (String, String) -> Void) throws {
            for path in paths {
                let conditional = try app.anonymous(
                    path, headers: tags[path].map { [("If-None-Match", $0)] } ?? [])
                #expect(conditional.status == (changed ? 200 : 304), "\(path) at \(clock.now)")
                let full = try app.anonymous(path)
                tags[path] = full.header("ETag")
                check(path, full.bodyText)
                // Served from the response cache until the page changes (ADR 0003).
                #expect(app.environment.responses.hit(for: path, now: clock.now) != nil)
            }
        }
        try look(changed: true) { path, text in #expect(!text.contains("Replica rebuild"), "\(path)") }
        clock.advance(by: hour - 1)
        try look(changed: false) { _, _ in }
        // The window comes within 72 hours with no write: the cached answers end there.
        clock.advance(by: 2)
        try look(changed: true) { path, text in
            #expect(text.contains("Replica rebuild") && text.contains(ref), "\(path)")
            #expect(
                text.contains(path == "/status" ? "<strong>Scheduled</strong>" : #""status":"scheduled""#),
                "\(path)")
        }
        clock.advance(by: 72 * hour)
        try look(changed: true) { path, text in
            #expect(text.contains(path == "/status" ? "In progress" : #""status":"in_progress""#), "\(path)")
            #expect(text.contains(path == "/status" ? "Under maintenance" : "under_maintenance"), "\(path)")
        }
        clock.advance(by: 2 * hour)
        try look(changed: true) { path, text in
            #expect(!text.contains("Replica rebuild"), "\(path)")
            #expect(!text.contains(path == "/status" ? "Under maintenance" : "under_maintenance"), "\(path)")
        }

        // Writes that change the page: the next look shows them, never a 304 for the old page.
        _ = try Self.plan(
            app,
            Self.once(
                "Network switch swap", services: "[]", isPublic: true, from: clock.now + hour,
                to: clock.now + 2 * hour))
        try look(changed: true) { path, text in #expect(text.contains("Network switch swap"), "\(path)") }
        _ = try Self.plan(
            app,
            Self.once(
                "INTERNAL-NOT-SHOWN-77c1", services: "[]", isPublic: false, from: clock.now + hour,
                to: clock.now + 2 * hour))
        try look(changed: false) { _, _ in }
        let override = try app.admin(
            "PATCH", "/api/v1/status/components/\(component)", json: #"{"status":"partial_outage"}"#)
        #expect(override.status == 200)
        try look(changed: true) { path, text in
            #expect(text.contains(path == "/status" ? "Partial outage" : "partial_outage"), "\(path)")
        }
        let listed = try app.admin("GET", "/api/v1/maintenance-windows?state=upcoming").json
        let upcoming = try #require(listed["items"] as? [[String: Any]])
        let swap = try #require(upcoming.first { $0["description"] as? String == "Network switch swap" })
        let cancelled = try app.admin("DELETE", "/api/v1/maintenance-windows/\(swap["ref"] as? String ?? "")")
        #expect(cancelled.status == 200)
        try look(changed: true) { path, text in #expect(!text.contains("Network switch swap"), "\(path)") }
    }
}
