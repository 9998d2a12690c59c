/// Method + path → a route's payload (`/api/v1/alerts/{id}`), matched once per request.
///
/// Segments are split on the raw target and percent-decoded one by one, so an encoded `%2F`
/// stays inside its segment. Literal segments win over a `{parameter}` at the same position.
public struct RouteTable<Payload: Sendable>: Sendable {
    /// What a request's method and path lead to.
    public enum Lookup: Sendable {
        /// A route: its payload, with the request's `pathParameters` and `routePattern` set.
        case matched(Payload, HTTPRequest)
        /// No route has this path (404).
        case notFound
        /// The path exists, not for this method: the `Allow` value (RFC 9110 §15.5.6) and the
        /// path's pattern.
        case methodNotAllowed(allow: String, pattern: String?)
        /// `OPTIONS` on a known path, or `OPTIONS *` (RFC 9110 §9.3.7): the `Allow` value
        /// (nil for `*`).
        case options(allow: String?, pattern: String?)
    }

    private var root = RouteNode<Payload>()
    /// The routes of patterns without a `{parameter}`, by pattern. Such a pattern always wins
    /// for its exact path (literal segments win), so a path without escapes is looked up here
    /// in one step, without splitting and decoding it into segments (the route match was a
    /// fifth of a `/healthz` request's instructions; docs/PERFORMANCE.md).
    private var literalRoutes: [String: [HTTPMethod: RouteNode<Payload>.Route]] = [:]

    public init() {}

    /// Registers a route. `pattern` is `/`-separated; a whole segment `{name}` matches one
    /// non-empty segment, available as `request.pathParameters["name"]`. Registering the
    /// same method and pattern twice, or a pattern not starting with `/`, is a programming
    /// error caught at startup.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ payload: Payload) {
        precondition(pattern.hasPrefix("/"), "route pattern \(pattern) must start with /")
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let route = RouteNode<Payload>.Route(pattern: pattern, payload: payload)
        root.insert(pattern == "/" ? [] : segments, method: method, route: route)
        if !segments.contains(where: { $0.hasPrefix("{") && $0.hasSuffix("}") && $0.count > 2 }) {
            literalRoutes[pattern, default: [:]][method] = route
        }
    }

    /// The route for the request, with HEAD served by GET (RFC 9110 §9.3.2).
    public func lookup(_ request: HTTPRequest) -> Lookup {
        if request.method == .options && request.path == "*" { return .options(allow: nil, pattern: nil) }
        var parameters: [String: String] = [:]
        let routes: [HTTPMethod: RouteNode<Payload>.Route]
        if let literal = literalMatch(request) {
            routes = literal
        } else {
            guard let node = match(request, parameters: &parameters) else { return .notFound }
            routes = node.routes
        }
        let route = routes[request.method] ?? (request.method == .head ? routes[.get] : nil)
        guard let route else {
            let pattern = routes.values.first?.pattern
            let allow = Self.allowedMethods(routes.keys)
            return request.method == .options
                ? .options(allow: allow, pattern: pattern) : .methodNotAllowed(allow: allow, pattern: pattern)
        }
        var matched = request
        matched.pathParameters = parameters
        matched.routePattern = route.pattern
        return .matched(route.payload, matched)
    }

    /// `GET, HEAD, OPTIONS, POST` — sorted, with HEAD when GET exists and OPTIONS always.
    static func allowedMethods(_ methods: Dictionary<HTTPMethod, RouteNode<Payload>.Route>.Keys) -> String {
        var names = Set(methods.map(\.rawValue))
        if names.contains("GET") { names.insert("HEAD") }
        names.insert("OPTIONS")
        return names.sorted().joined(separator: ", ")
    }

    /// The routes of a parameterless pattern equal to the request's path, when the path has
    /// no percent escapes (then the decoded `path` is the raw one, segment for segment).
    private func literalMatch(_ request: HTTPRequest) -> [HTTPMethod: RouteNode<Payload>.Route]? {
        let raw = Self.rawPath(of: request)
        guard !raw.contains(UInt8(ascii: "%")), request.path.utf8.elementsEqual(raw) else { return nil }
        return literalRoutes[request.path]
    }

    /// The node for the request's path.
    private func match(_ request: HTTPRequest, parameters: inout [String: String]) -> RouteNode<Payload>? {
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
}
