import HTTPServer

/// The end of the pipeline: the route's handler with its ``RequestContext``.
struct HandlerStage: Sendable {
    func handle(_ call: WorkerCall) throws -> HTTPResponse {
        guard case .database(let routeHandler) = call.route.handler else {
            preconditionFailure("OpenHandlerStage answers routes without a database handler")
        }
        let handler = call.handlerOverride ?? routeHandler
        let context = RequestContext(
            request: call.request, principal: call.principal ?? .anonymous, connection: call.heldConnection(),
            environment: call.environment, now: call.now, changes: call.changes)
        call.context = context
        let response = try handler(context)
        // A handler that checks the sender itself (PagerDuty, Slack) names it for the audit row.
        call.principal = context.principal
        return response
    }
}
