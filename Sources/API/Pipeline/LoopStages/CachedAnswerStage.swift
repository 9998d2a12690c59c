import HTTPServer

/// A dashboard poll whose answer is in the response cache (ADR 0003), from a caller the
/// credential cache knows and the gate lets through, is answered on the event loop: no
/// worker, no connection, no render.
struct CachedAnswerStage: LoopStage {
    func answer(_ call: inout LoopCall) -> HTTPResponse? {
        guard let known = call.knownPrincipal, !call.route.isMutating,
            case .database = call.route.handler, Gate.allows(call.route.access, known)
        else { return nil }
        return call.environment.responses.hit(for: ResponseCacheKey.of(call.request), now: call.now)?.response
    }
}
