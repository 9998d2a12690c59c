import API
import Foundation
import Synchronization
import TestSupport
import Testing

/// The dashboards' response cache (ADR 0003) on a real server and database: an unchanged poll
/// is answered from memory, and it is never older than this process's last write, the time to
/// live, or an SLA deadline passing.
@Suite struct ResponseCacheTests {
    static let listPath = "/api/v1/incidents?status=open&limit=50"

    /// Renames incident `id` behind the server's back, as another process on the same database
    /// would: nothing in this process hears of it.
    private func renameDirectly(_ app: TestApp, id: Int, to title: String) throws {
        let connection = try app.database.connect()
        defer { connection.close() }
        #expect(try connection.execute("UPDATE incidents SET title = \(title) WHERE id = \(Int64(id))") == 1)
    }

    private func settings(timeToLive: TimeInterval) -> APISettings {
        var settings = APISettings()
        settings.responseCacheTTL = timeToLive
        return settings
    }

    private func titles(_ response: RawHTTPResponse) -> [String] {
        (response.json["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }

    @Test func unchangedListIsServedFromMemoryUntilThisProcessWrites() throws {
        let app = try TestApp(settings: settings(timeToLive: 600))
        defer { app.stop() }
        let viewer = try app.makeKey(role: .viewer)
        let id = try #require(
            try app.declareIncident(#"{"title":"Queue backlog","severity":"SEV3"}"#)["id"] as? Int)
        let first = try app.request("GET", Self.listPath, key: viewer)
        #expect(first.status == 200 && titles(first) == ["Queue backlog"])
        let tag = try #require(first.header("ETag"))

        try renameDirectly(app, id: id, to: "Renamed elsewhere")
        // Served from memory: the database already says otherwise.
        let cached = try app.request("GET", Self.listPath, key: viewer)
        #expect(cached.status == 200 && cached.body == first.body && cached.header("ETag") == tag)
        let conditional = try app.request(
            "GET", Self.listPath, key: viewer, headers: [("If-None-Match", tag)])
        #expect(conditional.status == 304 && conditional.body.isEmpty && conditional.header("ETag") == tag)
        let head = try app.request("HEAD", Self.listPath, key: viewer)
        #expect(head.status == 200 && head.body.isEmpty && head.header("ETag") == tag)

        // Any write through this process drops the cache before it answers.
        let note = try app.admin("POST", "/api/v1/incidents/\(id)/timeline", json: #"{"body":"looking"}"#)
        #expect(note.status == 201)
        let fresh = try app.request("GET", Self.listPath, key: viewer, headers: [("If-None-Match", tag)])
        #expect(fresh.status == 200 && titles(fresh) == ["Renamed elsewhere"])
        #expect(fresh.header("ETag") != nil && fresh.header("ETag") != tag)
    }

    @Test func changeByAnotherProcessShowsOnceTheTimeToLivePassed() throws {
        let app = try TestApp(settings: settings(timeToLive: 0.3))
        defer { app.stop() }
        let id = try #require(
            try app.declareIncident(#"{"title":"Slow search","severity":"SEV4"}"#)["id"] as? Int)
        #expect(titles(try app.admin("GET", Self.listPath)) == ["Slow search"])
        try renameDirectly(app, id: id, to: "Slow search (indexes rebuilt)")
        Thread.sleep(forTimeInterval: 0.35)
        #expect(titles(try app.admin("GET", Self.listPath)) == ["Slow search (indexes rebuilt)"])
        let show = try app.admin("GET", "/api/v1/incidents/\(id)")
        #expect(show.json["title"] as? String == "Slow search (indexes rebuilt)")
    }

    @Test func zeroTimeToLiveTurnsTheCacheOff() throws {
        let app = try TestApp(settings: settings(timeToLive: 0))
        defer { app.stop() }
        let id = try #require(
            try app.declareIncident(#"{"title":"Cert expiry","severity":"SEV4"}"#)["id"] as? Int)
        #expect(titles(try app.admin("GET", Self.listPath)) == ["Cert expiry"])
        try renameDirectly(app, id: id, to: "Cert renewed")
        #expect(titles(try app.admin("GET", Self.listPath)) == ["Cert renewed"])
    }

    @Test func pendingSLAStateTurnsBreachedAtTheDeadlineWithoutAnyWrite() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let now = Mutex(start)
        // A time to live far beyond the deadline: only the SLA limit can end the entry.
        let app = try TestApp(settings: settings(timeToLive: 24 * 3600), clock: { now.withLock { $0 } })
        defer { app.stop() }
        let id = try #require(
            try app.declareIncident(#"{"title":"Login down","severity":"SEV1"}"#)["id"] as? Int)
        func slaState(_ path: String) throws -> String? {
            let response = try app.admin("GET", path)
            let item = (response.json["items"] as? [[String: Any]])?.first ?? response.json
            return (item["sla"] as? [String: Any])?["state"] as? String
        }
        #expect(try slaState(Self.listPath) == "pending")
        #expect(try slaState("/api/v1/incidents/\(id)") == "pending")
        now.withLock { $0 = start.addingTimeInterval(14 * 60) }
        #expect(try slaState(Self.listPath) == "pending")
        now.withLock { $0 = start.addingTimeInterval(16 * 60) }
        #expect(try slaState(Self.listPath) == "breached")
        #expect(try slaState("/api/v1/incidents/\(id)") == "breached")
    }

    @Test func cachedAnswerStillNeedsAKeyThatWorks() throws {
        let app = try TestApp(settings: settings(timeToLive: 600))
        defer { app.stop() }
        _ = try app.declareIncident(#"{"title":"Paging delay","severity":"SEV3"}"#)
        #expect(try app.admin("GET", Self.listPath).status == 200)
        #expect(try app.request("GET", Self.listPath, key: nil).status == 401)
        #expect(
            try app.request("GET", Self.listPath, key: "ikd_" + String(repeating: "x", count: 42)).status
                == 401)
        let viewer = try app.makeKey(role: .viewer)
        #expect(try app.request("GET", Self.listPath, key: viewer).status == 200)
    }

    @Test func cachedAnswerStillReachesAValidKeyFromAnAddressOverItsFailureBudget() throws {
        let app = try TestApp(settings: settings(timeToLive: 600))
        defer { app.stop() }
        _ = try app.declareIncident(#"{"title":"DNS flapping","severity":"SEV3"}"#)
        let viewer = try app.makeKey(role: .viewer)
        #expect(try app.request("GET", Self.listPath, key: viewer).status == 200)
        let wrong = "ikd_" + String(repeating: "w", count: 42)
        for _ in 0..<11 { _ = try app.request("GET", "/api/v1/services", key: wrong) }
        #expect(try app.request("GET", Self.listPath, key: viewer).status == 200)
        let refused = try app.request("GET", Self.listPath, key: wrong)
        #expect(refused.status == 429 && refused.header("Retry-After") != nil)
    }
}
