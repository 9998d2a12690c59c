import Foundation
import TestSupport
import Testing

/// `/health`, the path the seed runbooks probe first (`curl -I …/health`).
@Suite struct HealthAliasTests {
    @Test func healthAnswersLikeAPIHealthToGetAndHead() throws {
        let app = try TestApp()
        defer { app.stop() }
        let health = try app.request("GET", "/health", key: nil)
        #expect(health.status == 200)
        #expect(health.json["status"] as? String == "ok")
        #expect((health.json["services"] as? [String: Any])?["database"] != nil)
        for path in ["/health", "/api/health"] {
            let head = try app.request("HEAD", path, key: nil)
            #expect(head.status == 200, "HEAD \(path)")
            #expect(head.body.isEmpty)
            #expect(head.header("Content-Type")?.hasPrefix("application/json") == true)
        }
    }
}
