import API
import Foundation
import TestSupport
import Testing

/// The public status page (issue 19, SPEC §13–§14): Statuspage shapes and enums, privacy,
/// ETag/304, and the HTML in a headless browser and a text browser.
@Suite struct StatusPagePublicTests {
    static let componentStatuses: Set<String> = [
        "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance",
    ]
    static let indicators: Set<String> = ["none", "minor", "major", "critical"]
    static let incidentStatuses: Set<String> = [
        "investigating", "identified", "monitoring", "resolved", "postmortem",
    ]
    static let impacts: Set<String> = ["none", "minor", "major", "critical"]

    /// A page with one public SEV1 incident on `api` (two public updates), a private note and a
    /// private update on it, a private incident, and two non-public maintenance windows on `db`
    /// (one in progress, one tomorrow).
    static func seed(_ app: TestApp) throws -> (ref: String, secrets: [String]) {
        try app.makeService("api")
        try app.makeService("db")
        _ = try app.makeComponent(
            #"{"name":"API","description":"REST and webhooks","services":["api"],"group":"Core"}"#)
        _ = try app.makeComponent(#"{"name":"Database","services":["db"],"group":"Core"}"#)
        _ = try app.makeComponent(#"{"name":"Docs","services":[]}"#)
        let ref = try #require(
            try app.declareIncident(#"{"title":"API unavailable","severity":"SEV1","services":["api"]}"#)[
                "ref"]
                as? String)
        _ = try app.admin("PATCH", "/api/v1/incidents/\(ref)", json: #"{"public":true}"#)
        for body in ["We are investigating API errors.", "A fix is being deployed."] {
            let posted = try app.admin(
                "POST", "/api/v1/incidents/\(ref)/status-updates",
                json: #"{"status":"identified","body":"\#(body)","public":true}"#)
            try #require(posted.status == 201, "\(posted.bodyText)")
        }
        let secrets = ["SECRET-NOTE-7f3a", "PRIVATE-UPDATE-91bc", "HIDDEN-INCIDENT-4d2e"]
        _ = try app.admin("POST", "/api/v1/incidents/\(ref)/timeline", json: #"{"note":"\#(secrets[0])"}"#)
        _ = try app.admin(
            "POST", "/api/v1/incidents/\(ref)/status-updates",
            json: #"{"status":"identified","body":"\#(secrets[1])"}"#)
        _ = try app.declareIncident(#"{"title":"\#(secrets[2])","severity":"SEV1","services":["db"]}"#)
        let now = Date()
        let windows = [
            ("INTERNAL-WINDOW-5c8e", now.addingTimeInterval(-600), now.addingTimeInterval(3_600)),
            ("INTERNAL-WINDOW-e02b", now.addingTimeInterval(86_400), now.addingTimeInterval(90_000)),
        ]
        for (description, start, end) in windows {
            let created = try app.admin(
                "POST", "/api/v1/maintenance-windows",
                json:
                    #"{"description":"\#(description)","services":["db"],"public":false,"starts_at":"\#(RFC3339.format(start))","ends_at":"\#(RFC3339.format(end))"}"#
            )
            try #require(created.status == 201, "\(created.bodyText)")
        }
        return (ref, secrets + windows.map(\.0))
    }

    @Test func jsonRoutesHaveStatuspageShapesAndNothingPrivate() throws {
        let app = try TestApp()
        defer { app.stop() }
        let (ref, secrets) = try Self.seed(app)
        for path in publicStatusRoutes {
            let response = try app.anonymous(path)
            #expect(response.status == 200, "\(path)")
            for secret in secrets { #expect(!response.bodyText.contains(secret), "\(path) shows \(secret)") }
        }
        let summary = try app.anonymous("/status/api/v2/summary.json").json
        let page = try #require(summary["page"] as? [String: Any])
        #expect(Set(page.keys) == ["id", "name", "url", "time_zone", "updated_at"])
        let status = try #require(summary["status"] as? [String: Any])
        #expect(status["indicator"] as? String == "critical")
        #expect(Self.indicators.contains(status["indicator"] as? String ?? ""))
        let components = try #require(summary["components"] as? [[String: Any]])
        #expect(components.count == 4)  // the Core group and three components
        for component in components {
            #expect(Self.componentStatuses.contains(component["status"] as? String ?? ""))
            for key in [
                "id", "name", "created_at", "updated_at", "position", "page_id", "group", "group_id",
                "only_show_if_degraded", "showcase", "start_date", "description",
            ] {
                #expect(component.keys.contains(key), "component lacks \(key)")
            }
        }
        let api = try #require(components.first { $0["name"] as? String == "API" })
        #expect(api["status"] as? String == "major_outage")
        let group = try #require(components.first { $0["group"] as? Bool == true })
        #expect(group["status"] as? String == "major_outage")
        #expect(api["group_id"] as? String == group["id"] as? String)
        #expect(components.first { $0["name"] as? String == "Docs" }?["status"] as? String == "operational")
        // Neither the private incident nor the non-public window in progress shows on `db`.
        #expect(
            components.first { $0["name"] as? String == "Database" }?["status"] as? String == "operational")
        let incidents = try #require(summary["incidents"] as? [[String: Any]])
        #expect(incidents.count == 1)
        let incident = incidents[0]
        #expect(incident["id"] as? String == ref)
        #expect(Self.incidentStatuses.contains(incident["status"] as? String ?? ""))
        #expect(incident["impact"] as? String == "critical")
        let updates = try #require(incident["incident_updates"] as? [[String: Any]])
        #expect(
            updates.map { $0["body"] as? String } == [
                "A fix is being deployed.", "We are investigating API errors.",
            ])
        #expect((summary["scheduled_maintenances"] as? [Any])?.isEmpty == true)
        let statusOnly = try app.anonymous("/status/api/v2/status.json").json
        #expect(Set(statusOnly.keys) == ["page", "status"])
        #expect(Set(try app.anonymous("/status/api/v2/components.json").json.keys) == ["page", "components"])
        #expect(
            Set(try app.anonymous("/status/api/v2/incidents/unresolved.json").json.keys) == [
                "page", "incidents",
            ])
        for path in ["upcoming", "active"] {
            let answer = try app.anonymous("/status/api/v2/scheduled-maintenances/\(path).json").json
            #expect(Set(answer.keys) == ["page", "scheduled_maintenances"])
        }
    }

    @Test func indicatorFollowsTheWorstComponent() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("api")
        let id = try app.makeComponent(#"{"name":"API","services":["api"]}"#)
        func indicator() throws -> String? {
            (try app.anonymous("/status/api/v2/status.json").json["status"] as? [String: Any])?["indicator"]
                as? String
        }
        #expect(try indicator() == "none")
        for (status, expected) in [
            ("degraded_performance", "minor"), ("partial_outage", "major"), ("major_outage", "critical"),
            ("under_maintenance", "none"),
        ] {
            _ = try app.admin("PATCH", "/api/v1/status/components/\(id)", json: #"{"status":"\#(status)"}"#)
            #expect(try indicator() == expected, "\(status)")
        }
    }

    @Test func publicAnswersCarryAnETagAndAnswer304() throws {
        let app = try TestApp()
        defer { app.stop() }
        _ = try Self.seed(app)
        for path in ["/status", "/status/api/v2/summary.json"] {
            let first = try app.anonymous(path)
            let tag = try #require(first.header("ETag"), "\(path) has no ETag")
            let again = try app.anonymous(path, headers: [("If-None-Match", tag)])
            #expect(again.status == 304, "\(path)")
            #expect(again.body.isEmpty)
        }
        let before = try #require(try app.anonymous("/status").header("ETag"))
        try app.makeService("web")
        _ = try app.makeComponent(#"{"name":"Web","services":["web"]}"#)
        let after = try app.anonymous("/status", headers: [("If-None-Match", before)])
        #expect(after.status == 200)
        #expect(after.bodyText.contains("Web"))
    }

    @Test func theHTMLPageReadsInAHeadlessAndATextBrowser() throws {
        let app = try TestApp()
        defer { app.stop() }
        _ = try Self.seed(app)
        let html = try app.anonymous("/status")
        #expect(html.header("Content-Type") == "text/html; charset=utf-8")
        #expect(!html.bodyText.contains("<script"))
        for landmark in ["<header>", "<main>", "<footer>", "<h1>", "<h2 id=\"components\">", "lang=\"en\""] {
            #expect(html.bodyText.contains(landmark), "no \(landmark)")
        }
        let url = "http://127.0.0.1:\(app.port)/status"
        let text = try Self.run("w3m", ["-dump", "-cols", "100", url])
        for expected in [
            "Major System Outage", "API", "Major outage", "Database", "Operational", "API unavailable",
            "A fix is being deployed.", "We are investigating API errors.", "Scheduled maintenance",
            "No maintenance scheduled in the next 72 hours.",
        ] {
            #expect(text.contains(expected), "w3m -dump lacks \(expected):\n\(text)")
        }
        let output = try testOutputDirectory("status-page")
        let png = output.appendingPathComponent("status.png")
        try? FileManager.default.removeItem(at: png)
        let profile = output.appendingPathComponent("chromium-profile").path
        _ = try Self.run(
            "chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
                "--window-size=420,900", "--screenshot=\(png.path)", url,
            ])
        let bytes = try Data(contentsOf: png)
        #expect(bytes.count > 1_000)
        #expect(Array(bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        // The DOM chromium built holds the same text (no JavaScript needed to get there).
        let dom = try Self.run(
            "chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--dump-dom", url])
        #expect(dom.contains("A fix is being deployed."))
        #expect(dom.contains("Major outage"))
    }

    /// Runs `tool` (from PATH) and returns its standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) exited with \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }
}
