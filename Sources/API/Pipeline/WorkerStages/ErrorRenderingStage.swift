import HTTPServer

/// The outermost worker stage: whatever the rest threw becomes its problem+json answer
/// (``ProblemMapping``, the one place errors turn into HTTP), and every answer names its route.
struct ErrorRenderingStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        var response: HTTPResponse
        do {
            response = try next(call)
        } catch {
            response = .problem(
                ProblemMapping.problem(for: error, request: call.request, logger: call.environment.logger))
        }
        response.routePattern = call.request.routePattern
        return response
    }
}
