import HTTPServer

/// Routes that need nothing but the request and run on the event loop (`/healthz`) are
/// answered here.
struct OpenRouteStage: LoopStage {
    func answer(_ call: inout LoopCall) -> HTTPResponse? {
        guard call.route.execution == .eventLoop, case .plain(let handler) = call.route.handler else {
            return nil
        }
        do {
            return try handler(call.request)
        } catch {
            return .problem(
                ProblemMapping.problem(for: error, request: call.request, logger: call.environment.logger))
        }
    }
}
