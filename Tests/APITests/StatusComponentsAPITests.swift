import Foundation
import TestSupport
import Testing

/// `/api/v1/status/components` (issue 19, SPEC §13–§14): CRUD, derived status, uptime.
@Suite struct StatusComponentsAPITests {
    @Test func componentsAreCheckedAndNamedByServiceNameOrID() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("api")
        let serviceID = try #require(try app.admin("GET", "/api/v1/services/api").json["id"] as? Int)
        let bad = try app.admin(
            "POST", "/api/v1/status/components", json: #"{"name":" ","services":["nope"],"status":"down"}"#)
        #expect(bad.status == 422)
        let fields = (bad.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
        #expect(Set(fields ?? []) == ["name", "services[0]", "status"])
        let created = try app.admin(
            "POST", "/api/v1/status/components",
            json: #"{"name":"API","description":"Public REST API","services":[\#(serviceID)],"group":"Core"}"#
        )
        #expect(created.status == 201)
        #expect(created.json["services"] as? [String] == ["api"])
        #expect(created.json["status"] as? String == "operational")
        #expect(created.json["group"] as? String == "Core")
        let id = try #require(created.json["id"] as? Int)
        #expect(try app.admin("POST", "/api/v1/status/components", json: #"{"name":"API"}"#).status == 409)
        let renamed = try app.admin(
            "PATCH", "/api/v1/status/components/\(id)", json: #"{"name":"REST API","group":null}"#)
        #expect(renamed.json["name"] as? String == "REST API")
        #expect(renamed.json["group"] is NSNull)
        let list = try app.admin("GET", "/api/v1/status/components").json["items"] as? [[String: Any]]
        #expect(list?.count == 1)
        #expect(
            try app.request("GET", "/api/v1/status/components", key: app.makeKey(role: .viewer)).status == 403
        )
        #expect(try app.admin("DELETE", "/api/v1/status/components/\(id)").status == 204)
        #expect(try app.admin("GET", "/api/v1/status/components/\(id)").status == 404)
    }

    @Test func statusIsTheWorstOfPublicIncidentsAndTheOverride() throws {
        let app = try TestApp()
        defer { app.stop() }
        try app.makeService("api")
        try app.makeService("db")
        let id = try app.makeComponent(#"{"name":"API","services":["api"]}"#)
        let other = try app.makeComponent(#"{"name":"DB","services":["db"]}"#)
        let incident = try app.declareIncident(#"{"title":"5xx","severity":"SEV2","services":["api"]}"#)
        let ref = try #require(incident["ref"] as? String)
        // A private incident does not show.
        #expect(try app.componentStatus(id) == "operational")
        let published = try app.admin("PATCH", "/api/v1/incidents/\(ref)", json: #"{"public":true}"#)
        #expect(published.json["public"] as? Bool == true)
        #expect(try app.componentStatus(id) == "partial_outage")
        #expect(try app.componentStatus(other) == "operational")
        _ = try app.admin("PATCH", "/api/v1/incidents/\(ref)", json: #"{"severity":"SEV1"}"#)
        #expect(try app.componentStatus(id) == "major_outage")
        _ = try app.admin("PATCH", "/api/v1/incidents/\(ref)", json: #"{"severity":"SEV3"}"#)
        #expect(try app.componentStatus(id) == "degraded_performance")
        // The override counts only when it is worse.
        let overridden = try app.admin(
            "PATCH", "/api/v1/status/components/\(id)", json: #"{"status":"partial_outage"}"#)
        #expect(overridden.json["override_status"] as? String == "partial_outage")
        #expect(overridden.json["status"] as? String == "partial_outage")
        _ = try app.admin("POST", "/api/v1/incidents/\(ref)/resolve", json: #"{"resolution":"rolled back"}"#)
        #expect(try app.componentStatus(id) == "partial_outage")
        let cleared = try app.admin("PATCH", "/api/v1/status/components/\(id)", json: #"{"status":null}"#)
        #expect(cleared.json["override_status"] is NSNull)
        #expect(cleared.json["status"] as? String == "operational")
        let unpublish = try app.admin("PATCH", "/api/v1/incidents/\(ref)", json: #"{"public":false}"#)
        #expect(unpublish.status == 422)
    }

    @Test func uptimeMatchesAnIndependentComputation() throws {
        let start = Date(timeIntervalSince1970: 1_796_000_000)
        let clock = StatusClock(start)
        let app = try TestApp(clock: { clock.now })
        defer { app.stop() }
        try app.makeService("api")
        let id = try app.makeComponent(#"{"name":"API","services":["api"]}"#)
        // (seconds from start, what happened): the Python below sees only this list.
        var script: [(Double, String)] = []
        func at(_ seconds: Double, _ label: String, _ action: () throws -> Void) throws {
            clock.advance(by: start.addingTimeInterval(seconds).timeIntervalSince(clock.now))
            try action()
            script.append((seconds, label))
        }
        let ref = try #require(
            try app.declareIncident(#"{"title":"slow","severity":"SEV2","services":["api"]}"#)["ref"]
                as? String)
        try at(600, "partial_outage") {
            _ = try app.admin("PATCH", "/api/v1/incidents/\(ref)", json: #"{"public":true}"#)
        }
        try at(1_500, "major_outage") {
            _ = try app.admin("PATCH", "/api/v1/incidents/\(ref)", json: #"{"severity":"SEV1"}"#)
        }
        try at(2_100, "operational") {
            _ = try app.admin("POST", "/api/v1/incidents/\(ref)/resolve", json: #"{"resolution":"fixed"}"#)
        }
        try at(5_000, "partial_outage") {
            _ = try app.admin(
                "PATCH", "/api/v1/status/components/\(id)", json: #"{"status":"partial_outage"}"#)
        }
        try at(5_777, "operational") {
            _ = try app.admin("PATCH", "/api/v1/status/components/\(id)", json: #"{"status":null}"#)
        }
        clock.advance(by: 3_600)
        let from = "2026-11-30T00:50:00Z"  // 200 s before `start`
        let fromDate = try #require(ISO8601DateFormatter().date(from: from))
        let toDate = start.addingTimeInterval(9_000)
        let to = ISO8601DateFormatter().string(from: toDate)
        let answer = try app.admin("GET", "/api/v1/status/components/\(id)/uptime?from=\(from)&to=\(to)").json
        #expect(answer["component"] as? Int == id)
        let percent = try #require(answer["uptime_percent"] as? Double)
        let expected = try Self.pythonUptime(
            script, window: (fromDate.timeIntervalSince(start), toDate.timeIntervalSince(start)))
        #expect(abs(percent - expected) < 0.1, "server \(percent), Python \(expected)")
        #expect(percent < 100)
        let bad = try app.admin("GET", "/api/v1/status/components/\(id)/uptime?from=yesterday")
        #expect(bad.status == 422)
    }

    /// Atlassian's rule computed by Python from the scripted status changes alone.
    static func pythonUptime(_ script: [(Double, String)], window: (Double, Double)) throws -> Double {
        let events = script.map { "(\($0.0), '\($0.1)')" }.joined(separator: ", ")
        let program = """
            events = [\(events)]
            start, end = \(window.0), \(window.1)
            weight = {'major_outage': 1.0, 'partial_outage': 0.3}
            down, status, since = 0.0, 'operational', start
            for t, s in events:
                down += (t - since) * weight.get(status, 0.0)
                status, since = s, t
            down += (end - since) * weight.get(status, 0.0)
            print(100.0 * (1.0 - down / (end - start)))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", program]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(Double(text))
    }
}
