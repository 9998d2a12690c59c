import HTTPServer

/// A poll whose answer is in the response cache (ADR 0003) is answered on the event loop: no
/// worker, no connection, no render. A route that needs a key is answered so only for a
/// caller the credential cache knows and the gate lets through; an open route (the public
/// status page) needs no caller at all, whatever credentials the request carries.
struct CachedAnswerStage: LoopStage {
    func answer(_ call: inout LoopCall) -> HTTPResponse? {
        guard !call.route.isMutating, case .database = call.route.handler, Self.callerMayHaveIt(call) else {
            return nil
        }
        return call.environment.responses.hit(for: ResponseCacheKey.of(call.request), now: call.now)?.response
    }

    /// True for an open route, else when the cached caller passes the route's gate.
    private static func callerMayHaveIt(_ call: LoopCall) -> Bool {
        if call.route.access == .open { return true }
        guard let known = call.knownPrincipal else { return false }
        return Gate.allows(call.route.access, known)
    }
}
