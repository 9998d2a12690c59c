import HTTPServer

/// A long-lived stream (SPEC §8: `/stream`) holds a socket and a buffer for as long as its
/// reader stays: past ``StreamSettings/maxStreams`` in this process a new one is answered 503
/// with `Retry-After` (EventSource retries by itself), before any connection is borrowed for
/// its replay. Other routes pass.
struct StreamAdmissionStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        guard call.route.streams else { return try next(call) }
        let hub = call.environment.streams
        guard hub.openStreams < hub.settings.maxStreams else {
            throw ProblemDetails(
                status: 503, detail: "This server holds \(hub.settings.maxStreams) streams; retry shortly.",
                headers: ["Retry-After": "5"])
        }
        return try next(call)
    }
}
