import Foundation
import HTTPServer
import Postgres
import Repositories

/// `/healthz`, `/readyz` and the seed runbooks' `/api/health` (also `/health`; SPEC §4, issue 3).
/// Open routes: no answer names the database's host, port or any connection detail.
enum HealthController {
    /// The database part of a health answer gets at most this long (within the request's own
    /// deadline), so `/readyz` answers within 2 s whatever the database does (issue 20).
    static let databaseCheckDeadline = Duration.milliseconds(1500)

    /// Fixed bytes: the liveness probe allocates nothing per call.
    static let healthzBody = Array(#"{"status":"ok"}"#.utf8)

    /// Process alive: never touches the database.
    @Sendable static func healthz(_ request: HTTPRequest) throws -> HTTPResponse {
        .json(bytes: healthzBody)
    }

    /// 200 when the database answers and no migration is pending, else 503 with the reason.
    @Sendable static func readyz(_ request: HTTPRequest, _ environment: APIEnvironment) throws -> HTTPResponse
    {
        let reason: String?
        do {
            reason = try DatabaseProbe.check(pool: environment.pool, within: databaseCheckDeadline) {
                let pending = try environment.pendingMigrations()
                return pending == 0 ? nil : "\(pending) migration(s) pending: run incidentd migrate"
            }
        } catch let failure as DatabaseProbe.Failure {
            // Open route: what kind of trouble, not libpq's message (host, port, socket path).
            environment.logger.warning("readiness_check_failed", ["error": .string(failure.detail)])
            reason = "database: \(failure.summary)"
        }
        guard let reason else { return .json(bytes: Array(#"{"status":"ready"}"#.utf8)) }
        var headers = HTTPHeaders()
        headers.set(name: "Retry-After", value: "5")
        throw ProblemDetails(status: 503, title: "Not ready", detail: reason, headers: headers)
    }

    /// The seed runbooks' shape: `{"status", "services": {"database": {"status", "latency_ms"}}}`;
    /// 503 with `"status":"degraded"` (same shape, so `jq .services.database` still works) when
    /// the database does not answer.
    @Sendable static func health(_ request: HTTPRequest, _ environment: APIEnvironment) throws -> HTTPResponse
    {
        var database = HealthStatus.Component(status: "ok", latencyMs: nil, error: nil)
        do {
            let start = ContinuousClock.now
            try DatabaseProbe.check(pool: environment.pool, within: databaseCheckDeadline) {}
            let elapsed = ContinuousClock.now - start
            let milliseconds =
                Double(elapsed.components.seconds) * 1000
                + Double(elapsed.components.attoseconds) / 1e15
            database.latencyMs = (milliseconds * 1000).rounded() / 1000
        } catch let failure as DatabaseProbe.Failure {
            environment.logger.warning("health_check_failed", ["error": .string(failure.detail)])
            database = .init(status: "error", latencyMs: nil, error: failure.summary)
        }
        let healthy = database.status == "ok"
        let body = HealthStatus(
            status: healthy ? "ok" : "degraded", services: ["database": database],
            timestamp: RFC3339.format(environment.clock()),
            readOnly: environment.readOnly.current?.enabled ?? false)
        var headers = HTTPHeaders()
        if !healthy { headers.set(name: "Retry-After", value: "5") }
        return try APIJSON.response(body, status: healthy ? 200 : 503, headers: headers)
    }
}

/// The body of `/api/health`.
struct HealthStatus: Encodable {
    struct Component: Encodable {
        var status: String
        var latencyMs: Double?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case status
            case latencyMs = "latency_ms"
            case error
        }
    }

    let status: String
    let services: [String: Component]
    let timestamp: String
    /// SPEC §12: true while writes are refused.
    let readOnly: Bool

    enum CodingKeys: String, CodingKey {
        case status, services, timestamp
        case readOnly = "read_only"
    }
}
