import HTTPServer

/// SPEC §12 read-only mode: while it is on, every write but the switch itself gets 503 +
/// `Retry-After` — ingest and heartbeat pings too (GET ones included, SPEC §14), so senders keep
/// the alert and retry (Alertmanager drops anything answered 4xx). Reads go on, and so does
/// background work: paging must not stop.
struct ReadOnlyStage: LoopStage {
    func answer(_ call: inout LoopCall) -> HTTPResponse? {
        guard call.route.isMutating, !call.route.switchesReadOnlyMode,
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
