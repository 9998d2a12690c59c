import HTTPServer

/// Routes with no credentials and no transaction (readiness, health, metrics) are answered
/// here; they must answer in their own shape even when no connection can be had.
struct OpenHandlerStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        switch call.route.handler {
        case .plain(let handler): return try handler(call.request)
        case .environment(let handler): return try handler(call.request, call.environment)
        case .database: return try next(call)
        }
    }
}
