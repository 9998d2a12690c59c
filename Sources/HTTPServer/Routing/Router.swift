/// Maps method + path to handlers (`/api/v1/alerts/{id}`); answers 404, 405 with `Allow`,
/// `OPTIONS` and `HEAD` itself; renders every thrown error through one renderer.
public struct Router: HTTPResponder {
    /// Produces the response for a matched request; throws to report a problem.
    public typealias Handler = @Sendable (HTTPRequest) throws -> HTTPResponse
    /// Turns an error a handler threw (or a 404/405 problem) into the response.
    public typealias ErrorRenderer = @Sendable (any Error, HTTPRequest) -> HTTPResponse

    private var root = RouteNode()
    private let errorRenderer: ErrorRenderer

    public init(errorRenderer: @escaping ErrorRenderer = Router.defaultErrorRenderer) {
        self.errorRenderer = errorRenderer
    }

    /// Registers a route. `pattern` is `/`-separated; a whole segment `{name}` matches one
    /// non-empty segment, available as `request.pathParameters["name"]`. Registering the
    /// same method and pattern twice, or a pattern not starting with `/`, is a programming
    /// error caught at startup.
    public mutating func add(
        _ method: HTTPMethod, _ pattern: String, execution: HandlerExecution = .worker,
        _ handler: @escaping Handler
    ) {
        precondition(pattern.hasPrefix("/"), "route pattern \(pattern) must start with /")
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let route = RouteNode.Route(pattern: pattern, execution: execution, handler: handler)
        root.insert(pattern == "/" ? [] : segments, method: method, route: route)
    }

    public func execution(for request: HTTPRequest) -> HandlerExecution {
        var parameters: [String: String] = [:]
        guard let node = match(request, parameters: &parameters) else { return .eventLoop }
        return route(in: node, for: request.method)?.execution ?? .eventLoop
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        var parameters: [String: String] = [:]
        if request.method == .options && request.path == "*" {
            // RFC 9110 §9.3.7: OPTIONS * asks about the server in general.
            return HTTPResponse(status: 204)
        }
        guard let node = match(request, parameters: &parameters) else {
            return errorRenderer(ProblemDetails(status: 404, detail: "No route matches this path."), request)
        }
        let pattern = node.routes.values.first?.pattern
        guard let route = route(in: node, for: request.method) else {
            var response = answerWithoutRoute(node, request: request)
            response.routePattern = pattern
            return response
        }
        var matched = request
        matched.pathParameters = parameters
        matched.routePattern = route.pattern
        var response: HTTPResponse
        do {
            response = try route.handler(matched)
        } catch {
            response = errorRenderer(error, matched)
        }
        response.routePattern = route.pattern
        return response
    }

    /// The route for `method`, with HEAD served by GET (RFC 9110 §9.3.2).
    private func route(in node: RouteNode, for method: HTTPMethod) -> RouteNode.Route? {
        if let route = node.routes[method] { return route }
        return method == .head ? node.routes[.get] : nil
    }

    /// OPTIONS → 204 with `Allow` (RFC 9110 §9.3.7); anything else → 405 with `Allow`
    /// (RFC 9110 §15.5.6: the origin server MUST generate an Allow field in a 405).
    private func answerWithoutRoute(_ node: RouteNode, request: HTTPRequest) -> HTTPResponse {
        let allow = Self.allowedMethods(node.routes.keys)
        if request.method == .options {
            return HTTPResponse(status: 204, headers: ["Allow": allow])
        }
        let problem = ProblemDetails(
            status: 405, detail: "This path does not support \(request.method.rawValue).",
            headers: ["Allow": allow])
        return errorRenderer(problem, request)
    }

    /// `GET, HEAD, OPTIONS, POST` — sorted, with HEAD when GET exists and OPTIONS always.
    static func allowedMethods(_ methods: Dictionary<HTTPMethod, RouteNode.Route>.Keys) -> String {
        var names = Set(methods.map(\.rawValue))
        if names.contains("GET") { names.insert("HEAD") }
        names.insert("OPTIONS")
        return names.sorted().joined(separator: ", ")
    }

    /// The node for the request's path. Segments are split on the raw target and decoded
    /// one by one, so an encoded `%2F` stays inside its segment.
    private func match(_ request: HTTPRequest, parameters: inout [String: String]) -> RouteNode? {
        let raw = Self.rawPath(of: request)
        guard raw.first == UInt8(ascii: "/") else { return nil }
        var segments: [String] = []
        if raw.count > 1 {
            for piece in raw.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            {
                guard let decoded = PercentDecoding.decode(piece, plusAsSpace: false) else { return nil }
                segments.append(decoded)
            }
        }
        guard let node = root.find(segments[...], parameters: &parameters), !node.routes.isEmpty else {
            return nil
        }
        return node
    }

    /// The still-encoded path of the request-target (origin- or absolute-form), else `path`.
    static func rawPath(of request: HTTPRequest) -> Substring.UTF8View {
        var target = Substring(request.target).utf8
        if target.first != UInt8(ascii: "/") {
            guard let scheme = target.firstRange(of: "://".utf8) else { return Substring(request.path).utf8 }
            target = target[scheme.upperBound...]
            target = target[(target.firstIndex(of: UInt8(ascii: "/")) ?? target.endIndex)...]
            if target.isEmpty { return Substring("/").utf8 }
        }
        return target[..<(target.firstIndex(of: UInt8(ascii: "?")) ?? target.endIndex)]
    }

    /// `ProblemDetails` render as themselves; anything else becomes a 500 that reveals
    /// nothing about the error (the API layer logs it with the request id).
    public static func defaultErrorRenderer(_ error: any Error, _ request: HTTPRequest) -> HTTPResponse {
        if let problem = error as? ProblemDetails { return .problem(problem) }
        return .problem(ProblemDetails(status: 500, detail: "The server failed to handle this request."))
    }
}
