import App
import Foundation
import HTTPServer
import Synchronization
import Testing

@testable import API

/// The request pipeline in-process over a real database: `APIResponder.respond(to:)` with an
/// `HTTPRequest`, no socket. Refusals, and which writes leave the dashboards' polls cached
/// (ADR 0006): a poll answered `.now` is served from the response cache on the event loop.
@Suite struct PipelineInProcessTests {
    static let poll = "/api/v1/incidents?status=open&limit=50"

    /// A warning (or `severity`) alert for service `checkout`, dedup key `key`.
    static func alert(_ key: String, severity: String = "warning", service: String = "checkout") -> String {
        #"{"service":"\#(service)","source":"probe","summary":"Disk 91% (\#(key))","severity":"\#(severity)","dedup_key":"\#(key)"}"#
    }

    /// The app with service `checkout` and one declared incident; returns the incident's id.
    private func setUp(_ app: InProcessApp) throws -> Int {
        _ = try app.created(app.admin(.post, "/api/v1/services", json: #"{"name":"checkout"}"#), "service")
        return try app.created(
            app.admin(.post, "/api/v1/incidents", json: #"{"title":"Checkout slow","severity":"SEV3"}"#),
            "incident")
    }

    /// Renders `target` once (on a worker) and checks that the next poll is answered on the
    /// loop; returns the ETag.
    private func warm(_ app: InProcessApp, _ target: String, key: String) throws -> String {
        let first = app.api.send(.get, target, key: key)
        #expect(!first.wasImmediate && first.status == 200)
        #expect(app.api.send(.get, target, key: key).wasImmediate)
        return try #require(first.header("ETag"))
    }

    @Test func missingAuthorizationOnADatabaseRouteGoesToAWorkerAndAnswers401WithWWWAuthenticate() throws {
        let app = try InProcessApp()
        defer { app.stop() }
        let request = InProcessAPI.request(.get, "/api/v1/incidents")
        guard case .onWorker = app.api.responder.respond(to: request) else {
            Issue.record("a request without a key was answered on the loop")
            return
        }
        let answer = app.api.send(request)
        #expect(answer.status == 401)
        #expect(answer.header("WWW-Authenticate") == #"Bearer realm="incidentd""#)
        #expect(answer.header("Content-Type") == ProblemDetails.contentType)
        let audit = app.admin(.get, "/api/v1/audit").json["items"] as? [[String: Any]] ?? []
        #expect(
            audit.contains {
                $0["status"] as? Int == 401 && $0["action"] as? String == "GET /api/v1/incidents"
            })
    }

    @Test func refusalsOnWorkersSpendTheAddressBudgetThenUnknownKeysGet429AndValidOnesGoOn() throws {
        let app = try InProcessApp()
        defer { app.stop() }
        let request = InProcessAPI.request(.get, "/api/v1/incidents")
        // "More than" the budget: the one past it is refused.
        for _ in 0...app.environment.settings.maxAuthFailures {
            let answer = app.api.send(request)
            #expect(!answer.wasImmediate && answer.status == 401)
        }
        let throttled = app.api.send(request)
        #expect(throttled.wasImmediate && throttled.status == 429 && throttled.header("Retry-After") != nil)
        let unknown = app.api.send(.get, "/api/v1/incidents", key: "ikd_" + String(repeating: "u", count: 42))
        #expect(!unknown.wasImmediate && unknown.status == 429 && unknown.header("Retry-After") != nil)
        #expect(app.api.send(.get, "/api/v1/incidents", key: app.adminKey).status == 200)
    }

    @Test func warningAlertThroughGroupCommitLeavesTheCachedIncidentPollsCached() throws {
        let app = try InProcessApp()
        defer { app.stop() }
        let incident = try setUp(app)
        let viewer = try app.makeKey(role: .viewer)
        let listTag = try warm(app, Self.poll, key: viewer)
        let pageTag = try warm(app, "/api/v1/incidents/\(incident)", key: viewer)
        let before = app.environment.alertBatches.stats.requests

        #expect(app.admin(.post, "/api/v1/alerts", json: Self.alert("disk-1")).status == 201)
        #expect(app.admin(.post, "/api/v1/alerts", json: Self.alert("disk-1")).status == 200)
        #expect(app.environment.alertBatches.stats.requests == before + 2)

        let list = app.api.send(.get, Self.poll, key: viewer, headers: [("If-None-Match", listTag)])
        #expect(list.wasImmediate && list.status == 304)
        let page = app.api.send(
            .get, "/api/v1/incidents/\(incident)", key: viewer, headers: [("If-None-Match", pageTag)])
        #expect(page.wasImmediate && page.status == 304)
        // The alerts themselves are fresh.
        let alerts = app.api.send(.get, "/api/v1/alerts", key: viewer)
        #expect((alerts.json["items"] as? [[String: Any]])?.first?["event_count"] as? Int == 2)
    }

    @Test func warningAlertOnTheUsualPathLeavesTheCachedIncidentPollsCached() throws {
        let app = try InProcessApp()
        defer { app.stop() }
        _ = try setUp(app)
        let viewer = try app.makeKey(role: .viewer)
        let tag = try warm(app, Self.poll, key: viewer)
        // An Idempotency-Key takes the usual path (a transaction of its own); a new service is
        // created on the way, which changes services, not incidents.
        let sent = app.admin(
            .post, "/api/v1/alerts", json: Self.alert("disk-2", service: "search"),
            headers: [("Idempotency-Key", "usual-path-1")])
        #expect(sent.status == 201)
        let list = app.api.send(.get, Self.poll, key: viewer, headers: [("If-None-Match", tag)])
        #expect(list.wasImmediate && list.status == 304)
        let services = app.api.send(.get, "/api/v1/services", key: viewer).json["items"] as? [[String: Any]]
        #expect(services?.compactMap { $0["name"] as? String } == ["checkout", "search"])
    }

    @Test func criticalAlertThatOpensAnIncidentIsInTheVeryNextPoll() throws {
        let app = try InProcessApp()
        defer { app.stop() }
        _ = try setUp(app)
        let viewer = try app.makeKey(role: .viewer)
        let tag = try warm(app, Self.poll, key: viewer)
        _ = try app.created(
            app.admin(.post, "/api/v1/services", json: #"{"name":"payments"}"#), "payments service")
        #expect(
            app.admin(
                .post, "/api/v1/alerts", json: Self.alert("down", severity: "critical", service: "payments")
            ).status == 201)
        let list = app.api.send(.get, Self.poll, key: viewer, headers: [("If-None-Match", tag)])
        #expect(!list.wasImmediate && list.status == 200)
        #expect((list.json["items"] as? [[String: Any]])?.count == 2)
    }

    @Test func warningRepeatOfAnAlertInAnIncidentRefreshesTheIncidentPage() throws {
        let app = try InProcessApp()
        defer { app.stop() }
        let incident = try setUp(app)
        let viewer = try app.makeKey(role: .viewer)
        let alert = try app.created(app.admin(.post, "/api/v1/alerts", json: Self.alert("cpu")), "alert")
        let attached = app.admin(
            .post, "/api/v1/incidents/\(incident)/alerts", json: #"{"alert_ids":[\#(alert)]}"#)
        #expect(attached.status == 200, "\(attached.bodyText)")
        let page = "/api/v1/incidents/\(incident)"
        _ = try warm(app, page, key: viewer)
        let before = app.environment.alertBatches.stats.requests

        // A repeat through group commit: the alert is on the incident's page.
        #expect(app.admin(.post, "/api/v1/alerts", json: Self.alert("cpu")).status == 200)
        #expect(app.environment.alertBatches.stats.requests == before + 1)
        let fresh = app.api.send(.get, page, key: viewer)
        #expect(!fresh.wasImmediate)
        let shown = (fresh.json["alerts"] as? [[String: Any]])?.first
        #expect(shown?["event_count"] as? Int == 2)
    }

    @Test func slaJobEscalationRefreshesACachedIncidentPage() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let now = Mutex(start)
        let clock: @Sendable () -> Date = { now.withLock { $0 } }
        let app = try InProcessApp(clock: clock)
        defer { app.stop() }
        let incident = try app.created(
            app.admin(.post, "/api/v1/incidents", json: #"{"title":"Login down","severity":"SEV1"}"#),
            "incident")
        let page = "/api/v1/incidents/\(incident)"
        now.withLock { $0 = start.addingTimeInterval(20 * 60) }
        // Past the deadline: shown as breached at once, escalated (sla_breached) once the job ran.
        _ = try warm(app, page, key: app.adminKey)
        #expect(app.admin(.get, page).json["sla_breached"] as? Bool == false)

        // Wired as `incidentd serve` wires it (ServerRunner).
        let environment = app.environment
        let job = SLABreachJob(
            pool: app.pool, clock: clock, onChange: { environment.responses.invalidateAll() })
        #expect(try job.runOnce() == 1)
        let fresh = app.admin(.get, page)
        #expect(!fresh.wasImmediate && fresh.json["sla_breached"] as? Bool == true)
    }
}
