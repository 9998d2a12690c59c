import API
import Foundation
import HTTPServer
import Postgres
import Repositories
import TestSupport
import Testing

/// `GET /api/v1/stream` (SPEC §8) on a real server over a real database, read from a raw socket.
@Suite struct StreamAPITests {
    /// Triggers a warning alert (one `alert.triggered` event, no incident).
    static func trigger(_ app: TestApp, _ key: String) throws {
        let response = try app.admin(
            "POST", "/api/v1/alerts",
            json:
                #"{"service":"api","source":"stream-test","summary":"disk \#(key)","severity":"warning","dedup_key":"\#(key)"}"#
        )
        try #require(response.status == 201, "trigger: \(response.bodyText)")
    }

    /// The ids of the next `count` events on `client`.
    static func ids(_ client: SSEClient, count: Int, timeout: Duration = .seconds(20)) throws -> [Int] {
        var ids: [Int] = []
        while ids.count < count {
            guard let event = try client.nextEvent(timeout: timeout) else { break }
            ids.append(try #require(event.id.flatMap(Int.init)))
        }
        return ids
    }

    @Test func anEventCommittedAfterTheStreamOpenedArrivesWithItsIdTypeAndJSON() throws {
        let app = try TestApp()
        defer { app.stop() }
        try Self.trigger(app, "before")
        _ = try app.awaitEvents(1)
        let client = try SSEClient(port: app.port, target: "/api/v1/stream", key: app.adminKey)
        #expect(try client.readHead() == 200)
        #expect(client.headers["Content-Type"] == "text/event-stream; charset=utf-8")
        #expect(client.headers["Transfer-Encoding"] == "chunked")
        #expect(try client.next() == .retry(2000))
        let started = ContinuousClock.now
        try Self.trigger(app, "after")
        let event = try #require(try client.nextEvent(timeout: .seconds(10)))
        let waited = ContinuousClock.now - started
        // Live start: the alert triggered before the stream opened is not replayed.
        #expect(event.type == "alert.triggered")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
        #expect(json["id"] as? Int == Int(event.id ?? ""))
        #expect(json["type"] as? String == "alert.triggered")
        #expect((json["data"] as? [String: Any]) != nil)
        #expect(json["service"] as? String == "api")
        let logged = try app.events().last
        #expect(logged?["id"] as? Int == json["id"] as? Int)
        // On a cluster other tests share, their transactions can hold the horizon back a little.
        #expect(waited < .seconds(5), "the event took \(waited)")
    }

    @Test func reconnectingWithLastEventIDYieldsExactlyTheMissedEventsInOrder() throws {
        let app = try TestApp()
        defer { app.stop() }
        let first = try SSEClient(port: app.port, target: "/api/v1/stream?types=alert.*", key: app.adminKey)
        try first.readHead()
        for n in 1...3 { try Self.trigger(app, "seen-\(n)") }
        let seen = try Self.ids(first, count: 3)
        first.close()
        for n in 1...6 { try Self.trigger(app, "missed-\(n)") }
        let missed = try app.awaitEvents(6, after: seen.last).compactMap { $0["id"] as? Int }
        try #require(missed.count == 6)
        let again = try SSEClient(
            port: app.port, target: "/api/v1/stream?types=alert.*", key: app.adminKey,
            headers: ["Last-Event-ID": String(try #require(seen.last))])
        #expect(try Self.ids(again, count: 6) == missed)
        // The same with ?after=, which a client without EventSource may prefer.
        let byQuery = try SSEClient(
            port: app.port, target: "/api/v1/stream?after=\(seen[0])", key: app.adminKey)
        let expected = Array(seen.dropFirst()) + missed
        #expect(try Self.ids(byQuery, count: expected.count) == expected)
        // And live on after the replay.
        try Self.trigger(app, "live")
        let live = try app.awaitEvents(1, after: missed.last).compactMap { $0["id"] as? Int }
        #expect(try Self.ids(again, count: 1) == live)
    }

    @Test func filtersTakeTypesFamiliesAndAService() throws {
        let app = try TestApp()
        defer { app.stop() }
        _ = try app.admin("POST", "/api/v1/services", json: #"{"name":"db"}"#)
        let byService = try SSEClient(port: app.port, target: "/api/v1/stream?service=db", key: app.adminKey)
        let byType = try SSEClient(
            port: app.port, target: "/api/v1/stream?types=alert.acknowledged", key: app.adminKey)
        try byService.readHead()
        try byType.readHead()
        try Self.trigger(app, "api-one")
        let onDB = try app.admin(
            "POST", "/api/v1/alerts",
            json: #"{"service":"db","source":"t","summary":"slow","severity":"warning","dedup_key":"db-one"}"#
        )
        let ref = try #require(onDB.json["ref"] as? String)
        _ = try app.admin("POST", "/api/v1/alerts/\(ref)/acknowledge", json: #"{"by":"ann"}"#)
        let dbEvents = try [#require(try byService.nextEvent()), #require(try byService.nextEvent())]
        #expect(dbEvents.map(\.type) == ["alert.triggered", "alert.acknowledged"])
        let acknowledged = try #require(try byType.nextEvent())
        #expect(acknowledged.type == "alert.acknowledged")
        #expect(acknowledged.id == dbEvents[1].id)
    }

    @Test func badFiltersAndPositionsAreRefusedNamingTheField() throws {
        let app = try TestApp()
        defer { app.stop() }
        let viewer = try app.makeKey(role: .viewer)
        func problem(_ target: String, _ headers: [(String, String)] = [], key: String? = nil) throws
            -> String?
        {
            let response = try app.request("GET", target, key: key ?? viewer, headers: headers)
            #expect(response.status == 422, "\(target): \(response.bodyText)")
            #expect(response.headers["Content-Type"] == "application/problem+json")
            let errors = response.json["errors"] as? [[String: Any]] ?? []
            return errors.first?["field"] as? String
        }
        #expect(try problem("/api/v1/stream?types=alert.exploded") == "types")
        #expect(try problem("/api/v1/stream", [("Last-Event-ID", "abc")]) == "Last-Event-ID")
        #expect(try problem("/api/v1/stream", [("Last-Event-ID", "-4")]) == "Last-Event-ID")
        #expect(try problem("/api/v1/stream", [("Last-Event-ID", "999999")]) == "Last-Event-ID")
        #expect(try problem("/api/v1/stream?after=1x") == "after")
        #expect(try problem("/api/v1/stream?service=nothing-here") == "service")
        #expect(try app.request("GET", "/api/v1/stream", key: nil).status == 401)
        #expect(try app.request("GET", "/api/v1/export", key: viewer).status == 403)
    }

    @Test func aSilentStreamGetsItsKeepAliveComment() throws {
        var settings = APISettings()
        settings.streams.keepAlive = .milliseconds(300)
        let app = try TestApp(settings: settings)
        defer { app.stop() }
        let client = try SSEClient(port: app.port, target: "/api/v1/stream", key: app.adminKey)
        #expect(try client.next() == .retry(2000))
        let started = ContinuousClock.now
        #expect(try client.next(timeout: .seconds(5)) == .comment("keep-alive"))
        #expect(ContinuousClock.now - started >= .milliseconds(250))
        #expect(try client.next(timeout: .seconds(5)) == .comment("keep-alive"))
    }

    @Test func aReaderThatStopsReadingIsCutOnceItsBufferIsFullAndOthersGoOn() throws {
        var settings = APISettings()
        settings.streams.bufferBytes = 16 * 1024
        let app = try TestApp(settings: settings)
        defer { app.stop() }
        // A small receive window: the kernel holds little for this reader, which reads nothing.
        let stalled = try SSEClient(
            port: app.port, target: "/api/v1/stream", key: app.adminKey, receiveBuffer: 4096)
        try stalled.readHead()
        let keen = try SSEClient(port: app.port, target: "/api/v1/stream?types=alert.*", key: app.adminKey)
        try keen.readHead()
        let deadline = ContinuousClock.now + .seconds(5)
        while app.environment.streams.openStreams < 2 && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        // About 10 MB of events, more than every socket buffer on the way.
        _ = try app.pool.withConnection { connection in
            try connection.query(
                """
                INSERT INTO events (type, subject_kind, data)
                SELECT 'test', 'test', jsonb_build_object('pad', repeat('x', 2000)) FROM generate_series(1, 5000)
                """)
        }
        let cutBy = ContinuousClock.now + .seconds(20)
        while app.environment.streams.openStreams > 1 && ContinuousClock.now < cutBy {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(app.environment.streams.openStreams == 1, "the stalled reader was not cut")
        // Reading now, it finds the connection closed without the body's end.
        #expect(try stalled.waitForEnd(timeout: .seconds(20)))
        #expect(!stalled.endedCleanly)
        // The reader that keeps up is still served.
        try Self.trigger(app, "after-the-cut")
        #expect(try keen.nextEvent(timeout: .seconds(10))?.type == "alert.triggered")
    }

    @Test func shutdownEndsOpenStreamsWithTheLastChunk() throws {
        let app = try TestApp()
        let client = try SSEClient(port: app.port, target: "/api/v1/stream", key: app.adminKey)
        #expect(try client.next() == .retry(2000))
        app.stop()
        #expect(try client.waitForEnd(timeout: .seconds(5)))
        #expect(client.endedCleanly)
    }
}
