import Domain
import Foundation
import HTTPServer
import Repositories

/// `GET /v2/alerts/requests/{requestId}` and `GET|POST|PUT|PATCH /v2/heartbeats/{name}/ping`
/// (SPEC §12).
extension OpsgenieController {
    /// The stored outcome of an alert call (opsgenie-sdk polls it after every 202). A routing key
    /// sees the calls made with its service's routing keys; an API key sees all.
    @Sendable static func requestStatus(_ context: RequestContext) throws -> HTTPResponse {
        let requestID = try context.pathParameter("requestId")
        let scope = callerServiceID(context.principal)
        guard let record = try OpsgenieRequestRepository(context.connection).find(requestID: requestID),
            scope == nil || record.serviceID == scope
        else {
            throw ProblemDetails(status: 404, detail: "No request \(requestID) was found.")
        }
        return try OpsgenieResponses.requestStatus(
            record, requestID: context.request.requestID, took: took(context))
    }

    /// Opsgenie's heartbeat ping: 202 `PONG - Heartbeat received`, and 404 for a name that is
    /// not a heartbeat (Opsgenie answers PONG to anything; a typo must show). The ping itself is
    /// the native route's (``HeartbeatsController/recordPing(_:)``).
    @Sendable static func pingHeartbeat(_ context: RequestContext) throws -> HTTPResponse {
        _ = try HeartbeatsController.recordPing(context)
        return try OpsgenieResponses.pong(requestID: context.request.requestID, took: took(context))
    }
}
