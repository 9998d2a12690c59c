import HTTPServer

/// The API as the server sees it: the route table matched once per request, then
/// ``RequestPipeline``'s stages.
public struct APIResponder: HTTPResponder {
    private let table: RouteTable<APIRoute>
    private let environment: APIEnvironment
    private let workerChain: @Sendable (WorkerCall) throws -> HTTPResponse

    public init(routes: [APIRoute], environment: APIEnvironment) {
        var table = RouteTable<APIRoute>()
        for route in routes { table.add(route.method, route.pattern, route) }
        self.table = table
        self.environment = environment
        workerChain = Self.chain(RequestPipeline.workerStages)
    }

    /// The stages folded into one call, each wrapping the ones after it, `last` (the handler)
    /// at the end.
    static func chain(
        _ stages: [any WorkerStage],
        last: @escaping @Sendable (WorkerCall) throws -> HTTPResponse = { try HandlerStage().handle($0) }
    ) -> @Sendable (WorkerCall) throws -> HTTPResponse {
        var chain = last
        for stage in stages.reversed() {
            let next = chain
            chain = { call in try stage.handle(call, next: next) }
        }
        return chain
    }

    /// The middleware every answer goes through once, after the pipeline: errors on Opsgenie's
    /// routes in Opsgenie's shape (SPEC §12), entity tags, 304 and gzip for polls (SPEC §4),
    /// then CORS when origins are configured.
    public static func middleware(_ settings: APISettings) -> [any HTTPMiddleware] {
        let cors = CORSPolicy(allowedOrigins: settings.corsAllowedOrigins)
        let steps: [any HTTPMiddleware] = [OpsgenieErrorMiddleware(), RepresentationMiddleware()]
        return cors.isEnabled ? steps + [CORSMiddleware(policy: cors)] : steps
    }

    public func respond(to request: HTTPRequest) -> HTTPAnswer {
        let lookup = table.lookup(request)
        guard case .matched(let route, let matched) = lookup else {
            let logger = environment.logger
            return .now(
                Router.answer(lookup, to: request) { error, request in
                    .problem(ProblemMapping.problem(for: error, request: request, logger: logger))
                })
        }
        var call = LoopCall(
            request: matched, route: route, environment: environment, now: environment.clock())
        for stage in RequestPipeline.loopStages {
            if var answer = stage.answer(&call) {
                answer.routePattern = matched.routePattern
                return .now(answer)
            }
        }
        let chain = workerChain
        return .onWorker { [call] in
            // Never throws: ErrorRenderingStage, the outermost stage, renders every error.
            (try? chain(WorkerCall(call)))
                ?? .problem(ProblemDetails(status: 500, detail: "Unhandled error."))
        }
    }
}
