/// A fully received HTTP request, as handlers see it.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request-target exactly as received (RFC 9112 §3.2), e.g. `/api/v1/alerts?status=open`.
    public var target: String
    /// The percent-decoded path without the query, e.g. `/api/v1/alerts`.
    public var path: String
    public var query: QueryParameters
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The peer's address, `ip:port` (`[ip]:port` for IPv6).
    public var remoteAddress: String
    /// The client's IP without port: the peer's, or behind a trusted proxy the rightmost
    /// `X-Forwarded-For` address outside the trusted ranges (``TrustedProxies``). Set by the
    /// connection; empty for a request made by hand.
    public var clientAddress: String = ""
    /// `X-Request-ID` when the client sent a sane one, else generated; echoed on the response.
    public var requestID: String
    /// Values of the `{name}` segments of the matched route, set by the `Router`.
    public var pathParameters: [String: String]
    /// The matched route's pattern, e.g. `/api/v1/alerts/{id}`, set by the `Router`.
    public var routePattern: String?
    /// When the answer is due: the end of the request's head plus
    /// `HTTPTimeouts.requestDeadline`, set by the connection; nil for a request made by hand.
    /// Handlers pass it to whatever they wait on (the database: `PostgresDeadline`).
    public var deadline: ContinuousClock.Instant?

    public init(
        method: HTTPMethod, target: String, path: String, query: QueryParameters = QueryParameters(),
        version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        remoteAddress: String = "", requestID: String = "", pathParameters: [String: String] = [:],
        routePattern: String? = nil, deadline: ContinuousClock.Instant? = nil
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID
        self.pathParameters = pathParameters
        self.routePattern = routePattern
        self.deadline = deadline
    }

    /// Whether the connection may be reused after this request (RFC 9112 §9.3): HTTP/1.1
    /// unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    var wantsKeepAlive: Bool {
        if version == .http1_1 { return !headers.containsToken("close", in: "Connection") }
        return headers.containsToken("keep-alive", in: "Connection")
            && !headers.containsToken("close", in: "Connection")
    }
}
