import HTTPServer

/// SPEC §5 and issue 20: an address over its budget of failed authentications is refused
/// (429) only what cannot be a valid credential. A key the credential cache vouches for goes
/// on as from any other address, so one sender's typos never stop another's alerts behind the
/// same proxy; a key the cache does not know is checked on the worker, and refused there with
/// the same 429 when it fails (``RefusalAuditStage``). A request without a well-formed key is
/// refused here, before any worker.
struct FailureBudgetStage: LoopStage {
    func answer(_ call: inout LoopCall) -> HTTPResponse? {
        guard Gate.needsToken(call.route.access), call.knownPrincipal == nil, call.token == nil,
            let retryAfter = call.environment.authFailures.retryAfter(
                address: ClientAddress.of(call.request), now: call.now)
        else { return nil }
        return FailureBudgetStage.throttled(retryAfter: retryAfter)
    }

    /// The 429 for an address over its budget, with `Retry-After`.
    static func throttled(retryAfter: Int) -> HTTPResponse {
        .problem(throttledProblem(retryAfter: retryAfter))
    }

    static func throttledProblem(retryAfter: Int) -> ProblemDetails {
        ProblemDetails(
            status: 429, detail: "Too many failed authentications from this address; retry later.",
            headers: ["Retry-After": String(retryAfter)])
    }
}
