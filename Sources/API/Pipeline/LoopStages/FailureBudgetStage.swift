import HTTPServer

/// SPEC §5: an address over its budget of failed authentications gets 429 before any key is
/// looked at (seed 004: more than 10 failures in 5 minutes).
struct FailureBudgetStage: LoopStage {
    func answer(_ call: inout LoopCall) -> HTTPResponse? {
        guard Gate.needsToken(call.route.access),
            let retryAfter = call.environment.authFailures.retryAfter(
                address: ClientAddress.of(call.request), now: call.now)
        else { return nil }
        return .problem(
            ProblemDetails(
                status: 429, detail: "Too many failed authentications from this address; retry later.",
                headers: ["Retry-After": String(retryAfter)]))
    }
}
