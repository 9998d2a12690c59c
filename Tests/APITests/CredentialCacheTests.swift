import API
import App
import Foundation
import Postgres
import Synchronization
import Testing

/// The in-memory credential cache (ADR 0003) against a real server and database: keys are
/// served from memory, and every change that could make a key stop working reaches it.
@Suite struct CredentialCacheTests {
    /// Revokes key `name` with triggers off (`session_replication_role = replica`), so no
    /// NOTIFY is sent: what the server answers next shows whether it asked the database.
    private func revokeWithoutNotifying(_ app: TestApp, name: String) throws {
        let connection = try app.database.connect()
        defer { connection.close() }
        _ = try connection.execute("SET session_replication_role = replica")
        #expect(try connection.execute("UPDATE api_keys SET revoked_at = now() WHERE name = \(name)") == 1)
    }

    /// Requests until one answers `status`, for at most `seconds`; the last status seen.
    private func poll(_ app: TestApp, key: String, until status: Int, seconds: Double = 5) throws -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var seen = 0
        repeat {
            seen = try app.request("GET", "/api/v1/services", key: key).status
            if seen == status { return seen }
            Thread.sleep(forTimeInterval: 0.02)
        } while Date() < deadline
        return seen
    }

    @Test func checkedKeyIsServedFromMemoryUntilACredentialChangeIsNotified() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .viewer, name: "dashboard")
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 200)
        try revokeWithoutNotifying(app, name: "dashboard")
        // Nothing told the server: the cached answer stands, proving no api_keys lookup ran.
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 200)

        let connection = try app.database.connect()
        defer { connection.close() }
        try connection.notify(CredentialChangeListener.channel, payload: "api_keys")
        #expect(try poll(app, key: key, until: 401) == 401)
    }

    @Test func revocationCommittedByAnotherProcessReachesTheServerWithinMoments() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .viewer, name: "bot")
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 200)
        // What `incidentd keys revoke` does from its own process: migration 0006's trigger
        // notifies at COMMIT.
        let connection = try app.database.connect()
        defer { connection.close() }
        #expect(try connection.execute("UPDATE api_keys SET revoked_at = now() WHERE name = 'bot'") == 1)
        let started = ContinuousClock.now
        #expect(try poll(app, key: key, until: 401) == 401)
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func withoutTheListenerEveryRequestAsksTheDatabase() throws {
        let app = try TestApp()
        defer { app.stop() }
        app.credentialListener.stop()
        #expect(!app.environment.credentials.isListening)
        let key = try app.makeKey(role: .viewer, name: "unheard")
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 200)
        try revokeWithoutNotifying(app, name: "unheard")
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 401)
    }

    @Test func cachedKeyStopsWorkingAtItsExpiry() throws {
        let start = Date()
        let now = Mutex(start)
        let app = try TestApp(clock: { now.withLock { $0 } })
        defer { app.stop() }
        let key = try app.makeKey(role: .viewer, name: "short-lived", expiresAt: start.addingTimeInterval(30))
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 200)
        now.withLock { $0 = start.addingTimeInterval(29) }
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 200)
        now.withLock { $0 = start.addingTimeInterval(31) }
        let expired = try app.request("GET", "/api/v1/services", key: key)
        #expect(expired.status == 401)
        #expect(expired.json["detail"] as? String == "The key has expired.")
    }

    @Test func cachedRoutingKeyIsStillUnknownToRoutesThatTakeAnAPIKey() throws {
        let app = try TestApp()
        defer { app.stop() }
        let routingKey = try app.makeRoutingKey(service: "edge")
        let sent = try app.request(
            "POST", "/api/v1/alerts", json: #"{"summary":"disk full","source":"node-1"}"#, key: routingKey)
        #expect(sent.status == 201)
        // The same answer as before the key was ever cached: 401, not 403.
        #expect(try app.request("GET", "/api/v1/incidents", key: routingKey).status == 401)
        let again = try app.request(
            "POST", "/api/v1/alerts", json: #"{"summary":"disk full","source":"node-1"}"#, key: routingKey)
        #expect(again.status == 200)
    }

    @Test func keyRevokedThroughTheAPIFailsOnTheNextRequestEvenWhenCached() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder, name: "rotating")
        for _ in 0..<3 { #expect(try app.request("GET", "/api/v1/services", key: key).status == 200) }
        let id = try #require(try app.admin("GET", "/api/v1/api-keys").keyID(named: "rotating"))
        #expect(try app.admin("DELETE", "/api/v1/api-keys/\(id)").status == 200)
        // No waiting for the notification: the revoking request dropped the cache before answering.
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 401)
    }
}
