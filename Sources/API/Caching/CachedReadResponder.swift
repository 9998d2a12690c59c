import HTTPServer

/// The router, with the response cache's hits answered on the event loop (ADR 0003): a poll
/// whose answer is cached and whose key is in the credential cache needs neither a worker nor
/// a connection. Everything else, including every doubt (no cached key, an address over its
/// failure budget, a route the key may not call), goes through the router as before.
public struct CachedReadResponder: HTTPResponder {
    let router: Router
    let environment: APIEnvironment

    init(wrapping router: Router, environment: APIEnvironment) {
        self.router = router
        self.environment = environment
    }

    public func execution(for request: HTTPRequest) -> HandlerExecution {
        router.execution(for: request)
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        router.respond(to: request)
    }

    public func immediateResponse(to request: HTTPRequest) -> HTTPResponse? {
        guard request.method == .get || request.method == .head, environment.responses.isEnabled else {
            return nil
        }
        let now = environment.clock()
        guard let hit = environment.responses.hit(for: APIRouter.responseCacheKey(request), now: now),
            environment.authFailures.retryAfter(address: APIRouter.clientAddress(request), now: now) == nil,
            let token = try? Authenticator.bearerToken(request),
            let principal = APIRouter.cachedPrincipal(token, access: hit.access, environment: environment),
            APIRouter.allows(hit.access, principal)
        else { return nil }
        return hit.response
    }
}
