import HTTPServer

/// SPEC §12 read-only mode: while it is on, every request but GET, HEAD, OPTIONS and the switch
/// itself gets 503 + `Retry-After` — ingest too, so senders keep the alert and retry
/// (Alertmanager drops anything answered 4xx). Background work goes on: paging must not stop.
struct ReadOnlyStage: LoopStage {
    func answer(_ call: inout LoopCall) -> HTTPResponse? {
        let method = call.request.method
        guard method != .get && method != .head && method != .options, !call.route.switchesReadOnlyMode,
            let state = call.environment.readOnly.current, state.enabled
        else { return nil }
        let reason = state.reason.isEmpty ? "" : " (\(state.reason))"
        return .problem(
            ProblemDetails(
                status: 503, title: "Read-only mode",
                detail: "incidentd is in read-only mode\(reason); writes are refused, retry later.",
                headers: ["Retry-After": String(state.retryAfterSeconds)]))
    }
}
