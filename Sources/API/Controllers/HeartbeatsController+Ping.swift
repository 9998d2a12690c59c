import Domain
import Foundation
import HTTPServer
import Repositories

/// `GET|POST|PUT|PATCH /api/v1/heartbeats/{name}/ping` (SPEC §12) and the ping both it and
/// Opsgenie's `/v2/heartbeats/{name}/ping` record.
extension HeartbeatsController {
    /// 200 with the heartbeat after the ping (state, last_ping_at).
    @Sendable static func ping(_ context: RequestContext) throws -> HTTPResponse {
        let result = try recordPing(context)
        return try APIJSON.response(HeartbeatDTO(result.heartbeat))
    }

    /// Records a ping of the heartbeat `{name}` by the caller: an API key (responder), or a
    /// routing key of the heartbeat's own service (403 for another's, SPEC §14). An unknown name
    /// is 404, never a silent success: a typo in a cron line must show.
    ///
    /// Every method writes (the route says `writes: true`): the pipeline runs it in a
    /// transaction with its audit row and refuses it in read-only mode.
    static func recordPing(_ context: RequestContext) throws -> HeartbeatPingResult {
        let result = try recordPing(name: try context.pathParameter("name"), context)
        // ADR 0006: the route declares no family; ending an expiry resolved an alert.
        if result.resolvedAlert != nil { context.changed([.alerts, .incidents]) }
        return result
    }

    private static func recordPing(name: String, _ context: RequestContext) throws -> HeartbeatPingResult {
        let repository = HeartbeatRepository(context.connection)
        guard let locked = try repository.lock(name: name) else {
            throw DomainError.notFound(.heartbeat, name)
        }
        if case .routingKey(_, let serviceID, let serviceName, _, _) = context.principal,
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
}
