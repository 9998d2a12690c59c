import Foundation
import TestSupport
import Testing

/// Issue 5: `Idempotency-Key` replays and concurrent triggers through the whole server.
@Suite struct AlertsIdempotencyAndConcurrencyTests {
    @Test func replayWithTheSameKeyAndBodyReturnsTheFirstAnswerAndChangesNothing() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let body = #"{"service":"api","source":"s","summary":"Latency","dedup_key":"lat"}"#
        let headers = [("Idempotency-Key", "retry-1")]
        let first = try app.request("POST", "/api/v1/alerts", json: body, key: key, headers: headers)
        #expect(first.status == 201)
        let replay = try app.request("POST", "/api/v1/alerts", json: body, key: key, headers: headers)
        #expect(replay.status == 201 && replay.body == first.body)
        #expect(replay.header("Location") == first.header("Location"))
        #expect(replay.header("Idempotent-Replayed") == "true")
        let id = try #require(first.json["id"] as? Int)
        #expect(try app.alert(id)["event_count"] as? Int == 1, "the replay was not a second trigger")
        #expect(try app.alertTimeline(id).count == 1)
        let different = try app.request(
            "POST", "/api/v1/alerts",
            json: #"{"service":"api","source":"s","summary":"Other","dedup_key":"lat"}"#,
            key: key, headers: headers)
        #expect(different.status == 422 && different.errorFields == ["Idempotency-Key"])
        #expect(try app.alert(id)["event_count"] as? Int == 1)
        let fresh = try app.request(
            "POST", "/api/v1/alerts", json: body, key: key, headers: [("Idempotency-Key", "retry-2")])
        #expect(fresh.status == 200 && fresh.json["event_count"] as? Int == 2, "a new key is a new trigger")
    }

    @Test func fiftyConcurrentTriggersOfOneKeyMakeOneOpenAlertThenResolveOpensANewOne() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let body = #"{"service":"storm","source":"probe","summary":"Probe failing","dedup_key":"probe-1"}"#
        let statuses = Statuses()
        let eventCounts = Statuses()
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for _ in 0..<50 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                start.wait()
                do {
                    let response = try app.request("POST", "/api/v1/alerts", json: body, key: key)
                    statuses.append(response.status)
                    eventCounts.append(response.json["event_count"] as? Int ?? -1)
                } catch {
                    statuses.append(-1)
                }
            }
        }
        for _ in 0..<50 { start.signal() }
        group.wait()
        let all = statuses.all
        #expect(all.filter { $0 == 201 }.count == 1)
        #expect(all.filter { $0 == 200 }.count == 49)
        // Each answer shows the alert as its own trigger left it, also when triggers shared a
        // batch (group commit counts equal repeats in one row, ADR 0004).
        #expect(eventCounts.all.sorted() == Array(1...50))
        let open = try app.alerts("service=storm&status=open")
        try #require(open.count == 1)
        #expect(open[0]["event_count"] as? Int == 50)
        let id = try #require(open[0]["id"] as? Int)
        #expect(try app.request("POST", "/api/v1/alerts/\(id)/resolve", key: key).status == 200)
        let next = try app.request("POST", "/api/v1/alerts", json: body, key: key)
        #expect(next.status == 201 && next.json["id"] as? Int != id && next.json["event_count"] as? Int == 1)
    }

    /// Status codes collected from the client threads.
    final class Statuses: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Int] = []
        func append(_ status: Int) { lock.withLock { items.append(status) } }
        var all: [Int] { lock.withLock { items } }
    }
}
