#if canImport(Glibc)
    import Glibc
#endif

/// Everything the HTTP server can be told; defaults follow SPEC §6.
public struct HTTPServerConfiguration: Sendable {
    public static let defaultPort = 8080
    public static let defaultMaxConnections = 10_000  // beyond: 503 + close
    public static let defaultWorkerCount = 64
    public static let defaultWorkerQueueCapacity = 1024  // beyond: 503 + Retry-After
    public static let defaultListenBacklog = 4096

    /// An address to bind, or nil for both wildcards (`0.0.0.0` and `::`).
    public var host: String?
    /// 0 picks a free port; read it back from `HTTPServer.boundPort`.
    public var port: Int
    /// Event-loop threads; default one per core.
    public var eventLoopCount: Int
    /// Threads running `.worker` handlers (blocking calls such as libpq).
    public var workerCount: Int
    /// Requests waiting for a worker; when full, new ones get 503 with `Retry-After`.
    public var workerQueueCapacity: Int
    /// Open connections; a connection over the cap is answered 503 and closed.
    public var maxConnections: Int
    public var listenBacklog: Int
    /// Seconds sent in `Retry-After` with 503 answers.
    public var retryAfterSeconds: Int
    public var limits: HTTPLimits
    public var timeouts: HTTPTimeouts
    /// One JSON access-log line per request on the logger, at `info`.
    public var accessLog: Bool
    /// HTTPS on the same port when set: every connection starts with a TLS handshake.
    public var tls: HTTPServerTLS? = nil
    /// Peers whose `X-Forwarded-For` names the client (`HTTPRequest.clientAddress`).
    public var trustedProxies = TrustedProxies()

    public init(
        host: String? = nil, port: Int = defaultPort, eventLoopCount: Int? = nil,
        workerCount: Int = defaultWorkerCount, workerQueueCapacity: Int = defaultWorkerQueueCapacity,
        maxConnections: Int = defaultMaxConnections, listenBacklog: Int = defaultListenBacklog,
        retryAfterSeconds: Int = 1, limits: HTTPLimits = HTTPLimits(),
        timeouts: HTTPTimeouts = HTTPTimeouts(),
        accessLog: Bool = true
    ) {
        self.host = host
        self.port = port
        self.eventLoopCount = eventLoopCount ?? Self.coreCount()
        self.workerCount = workerCount
        self.workerQueueCapacity = workerQueueCapacity
        self.maxConnections = maxConnections
        self.listenBacklog = listenBacklog
        self.retryAfterSeconds = retryAfterSeconds
        self.limits = limits
        self.timeouts = timeouts
        self.accessLog = accessLog
    }

    /// Online processors, at least 1.
    static func coreCount() -> Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
