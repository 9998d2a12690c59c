/// The plain responder: a ``RouteTable`` of closures, each run on the event loop or a worker
/// as registered. Answers 404, 405 with `Allow`, `OPTIONS` and `HEAD` itself; renders every
/// thrown error through one renderer. (The API has a pipeline of its own on a `RouteTable`.)
public struct Router: HTTPResponder {
    /// Produces the response for a matched request; throws to report a problem.
    public typealias Handler = @Sendable (HTTPRequest) throws -> HTTPResponse
    /// Turns an error a handler threw (or a 404/405 problem) into the response.
    public typealias ErrorRenderer = @Sendable (any Error, HTTPRequest) -> HTTPResponse

    /// A registered handler and where it runs.
    public struct Route: Sendable {
        let execution: HandlerExecution
        let handler: Handler
    }

    private var table = RouteTable<Route>()
    private let errorRenderer: ErrorRenderer

    public init(errorRenderer: @escaping ErrorRenderer = Router.defaultErrorRenderer) {
        self.errorRenderer = errorRenderer
    }

    /// Registers a route (see ``RouteTable/add(_:_:_:)``).
    public mutating func add(
        _ method: HTTPMethod, _ pattern: String, execution: HandlerExecution = .worker,
        _ handler: @escaping Handler
    ) {
        table.add(method, pattern, Route(execution: execution, handler: handler))
    }

    public func respond(to request: HTTPRequest) -> HTTPAnswer {
        switch table.lookup(request) {
        case .matched(let route, let matched):
            let errorRenderer = self.errorRenderer
            let run: @Sendable () -> HTTPResponse = {
                var response: HTTPResponse
                do {
                    response = try route.handler(matched)
                } catch {
                    response = errorRenderer(error, matched)
                }
                response.routePattern = matched.routePattern
                return response
            }
            return route.execution == .eventLoop ? .now(run()) : .onWorker(run)
        case let unmatched:
            return .now(Self.answer(unmatched, to: request, errorRenderer: errorRenderer))
        }
    }

    /// 404, 405 with `Allow` (RFC 9110 §15.5.6: the origin server MUST generate an Allow field
    /// in a 405), 204 to `OPTIONS` with `Allow` (RFC 9110 §9.3.7).
    public static func answer<Payload>(
        _ lookup: RouteTable<Payload>.Lookup, to request: HTTPRequest, errorRenderer: ErrorRenderer
    ) -> HTTPResponse {
        switch lookup {
        case .matched:
            preconditionFailure("Router.answer is for requests without a route")
        case .notFound:
            return errorRenderer(ProblemDetails(status: 404, detail: "No route matches this path."), request)
        case .methodNotAllowed(let allow, let pattern):
            let problem = ProblemDetails(
                status: 405, detail: "This path does not support \(request.method.rawValue).",
                headers: ["Allow": allow])
            var response = errorRenderer(problem, request)
            response.routePattern = pattern
            return response
        case .options(let allow, let pattern):
            var headers = HTTPHeaders()
            if let allow { headers.set(name: "Allow", value: allow) }
            var response = HTTPResponse(status: 204, headers: headers)
            response.routePattern = pattern
            return response
        }
    }

    /// `ProblemDetails` render as themselves; anything else becomes a 500 that reveals
    /// nothing about the error (the API layer logs it with the request id).
    public static func defaultErrorRenderer(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        if let problem = error as? ProblemDetails { return .problem(problem) }
        return .problem(ProblemDetails(status: 500, detail: "The server failed to handle this request."))
    }
}
