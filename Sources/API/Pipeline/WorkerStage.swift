import Foundation
import HTTPServer
import Postgres

/// A stage that runs on a worker thread around the stages after it (Hummingbird's
/// `Middleware.handle(_:context:next:)`): it may answer, pass `call` on, or act on what the
/// rest answered or threw.
protocol WorkerStage: Sendable {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse
}

/// The stages after this one, down to the handler.
typealias WorkerStageNext = (WorkerCall) throws -> HTTPResponse

/// One request on its worker: what the loop stages found, and what the worker stages add.
/// Lives on one worker thread only.
final class WorkerCall {
    let request: HTTPRequest
    let route: APIRoute
    let environment: APIEnvironment
    /// One clock reading per request, so every row it writes agrees on "now".
    let now: Date
    let token: String?
    /// From the credential cache on the event loop.
    let knownPrincipal: Principal?
    /// The caller once authenticated (`.anonymous` for open routes and for routes whose
    /// handler checks the sender itself; a handler may name the sender then).
    var principal: Principal?
    /// The connection borrowed by ``ConnectionStage`` for the stages after it.
    var connection: PostgresConnection?
    /// The handler to run instead of the route's (``GroupCommitStage``'s usual path).
    var handlerOverride: (@Sendable (RequestContext) throws -> HTTPResponse)?
    /// What ``HandlerStage`` gave the handler (whether its answer may be cached, ...).
    var context: RequestContext?
    /// What a write reported it changed beyond its route's declaration (``CacheInvalidationStage``).
    let changes = ResourceChanges()

    init(_ call: LoopCall) {
        request = call.request
        route = call.route
        environment = call.environment
        // Read on the worker: the request may have waited in the queue since the loop's reading.
        now = call.environment.clock()
        token = call.token
        knownPrincipal = call.knownPrincipal
    }

    /// The connection ``ConnectionStage`` holds; a stage before it asking is a programming error.
    func heldConnection() -> PostgresConnection {
        guard let connection else { preconditionFailure("a worker stage needs ConnectionStage before it") }
        return connection
    }
}
