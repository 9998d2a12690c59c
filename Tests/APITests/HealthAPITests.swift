import Foundation
import TestSupport
import Testing

/// `/healthz`, `/readyz`, `/api/health`, `/api/health/db` (SPEC §4, issue 3).
@Suite struct HealthAPITests {
    @Test func healthzAnswersWithoutAKeyOrTheDatabase() throws {
        let app = try TestApp()
        defer { app.stop() }
        app.pool.close()
        let response = try app.request("GET", "/healthz", key: nil)
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"status":"ok"}"#)
    }

    @Test func healthDBHasTheSeedShapeWithMeasuredLatency() throws {
        let app = try TestApp()
        defer { app.stop() }
        for path in ["/api/health", "/api/health/db"] {
            let response = try app.request("GET", path, key: nil)
            #expect(response.status == 200)
            #expect(response.json["status"] as? String == "ok")
            let database = try #require(
                (response.json["services"] as? [String: Any])?["database"] as? [String: Any])
            #expect(database["status"] as? String == "ok")
            #expect((database["latency_ms"] as? Double).map { $0 >= 0 } == true)
        }
    }

    @Test func healthKeepsItsShapeAndAnswers503WhenTheDatabaseIsAway() throws {
        let app = try TestApp()
        defer { app.stop() }
        app.pool.close()
        let response = try app.request("GET", "/api/health/db", key: nil)
        #expect(response.status == 503)
        #expect(response.json["status"] as? String == "degraded")
        let database = try #require(
            (response.json["services"] as? [String: Any])?["database"] as? [String: Any])
        #expect(database["status"] as? String == "error")
        let ready = try app.request("GET", "/readyz", key: nil)
        #expect(ready.status == 503)
        #expect(ready.header("Retry-After") == "5")
    }

    @Test func readyzIsReadyWhenCurrentAndRefusesWithPendingMigrations() throws {
        let current = try TestApp()
        defer { current.stop() }
        #expect(try current.request("GET", "/readyz", key: nil).status == 200)

        let behind = try TestApp(pendingMigrations: { 2 })
        defer { behind.stop() }
        let response = try behind.request("GET", "/readyz", key: nil)
        #expect(response.status == 503)
        #expect((response.json["detail"] as? String)?.contains("2 migration(s) pending") == true)
    }
}
