import Domain
import Foundation
import HTTPServer
import Repositories

/// `GET|POST|PUT|PATCH /api/v1/heartbeats/{name}/ping` (SPEC §12) and the ping both it and
/// Opsgenie's `/v2/heartbeats/{name}/ping` record.
extension HeartbeatsController {
    /// 200 with the heartbeat after the ping (state, last_ping_at).
    @Sendable static func ping(_ context: RequestContext) throws -> HTTPResponse {
        let result = try recordPing(context, answerStatus: 200)
        return try APIJSON.response(HeartbeatDTO(result.heartbeat))
    }

    /// Records a ping of the heartbeat `{name}` by the caller: an API key (responder), or a
    /// routing key of the heartbeat's own service (403 for another's, SPEC §14). An unknown name
    /// is 404, never a silent success: a typo in a cron line must show.
    ///
    /// A GET (or HEAD) ping writes too, but the pipeline runs reads outside any transaction and
    /// lets them through read-only mode: so here it is refused while read-only mode is on (SPEC
    /// §14: pings are writes), and runs in a transaction of its own with its audit row, as the
    /// pipeline does for the other methods. `answerStatus` is the status the caller will answer.
    static func recordPing(_ context: RequestContext, answerStatus: Int) throws -> HeartbeatPingResult {
        let name = try context.pathParameter("name")
        let method = context.request.method
        guard method == .get || method == .head else {
            let result = try recordPing(name: name, context)
            // ADR 0006: the route declares no family; ending an expiry resolved an alert.
            if result.resolvedAlert != nil { context.changed([.alerts, .incidents]) }
            return result
        }
        try refuseWhileReadOnly(context)
        let result = try context.connection.withTransaction { connection in
            let result = try recordPing(name: name, context)
            try AuditRepository(connection).record(
                RequestAudit.entry(
                    context.request, principal: context.principal, status: answerStatus, now: context.now))
            return result
        }
        // After COMMIT, before the answer, as CacheInvalidationStage does for writes (ADR 0006):
        // the audit row, and the resolved alert when the ping ended an expiry.
        let changed: ResourceFamilies = result.resolvedAlert == nil ? .audit : [.audit, .alerts, .incidents]
        context.environment.responses.invalidate(changed)
        return result
    }

    private static func recordPing(name: String, _ context: RequestContext) throws -> HeartbeatPingResult {
        let repository = HeartbeatRepository(context.connection)
        guard let locked = try repository.lock(name: name) else {
            throw DomainError.notFound(.heartbeat, name)
        }
        if case .routingKey(_, let serviceID, let serviceName, _) = context.principal,
            serviceID != locked.serviceID
        {
            throw ProblemDetails(
                status: 403,
                detail:
                    "This routing key belongs to the service \(serviceName); it cannot ping heartbeats of others."
            )
        }
        return try repository.recordPing(locked, actor: context.principal.actorName, now: context.now)
    }

    /// SPEC §14: read-only mode refuses writes that come in by request, pings included — also
    /// those sent as GET, which the read-only stage lets through as reads.
    private static func refuseWhileReadOnly(_ context: RequestContext) throws {
        guard let state = context.environment.readOnly.current, state.enabled else { return }
        let reason = state.reason.isEmpty ? "" : " (\(state.reason))"
        throw ProblemDetails(
            status: 503, title: "Read-only mode",
            detail: "incidentd is in read-only mode\(reason); writes are refused, retry later.",
            headers: ["Retry-After": String(state.retryAfterSeconds)])
    }
}
