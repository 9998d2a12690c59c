import Log
import Synchronization
import Threads

/// What every event loop shares: configuration, responder, middleware, worker pool, counters.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let middleware: [any HTTPMiddleware]
    let logger: Logger
    let observer: (@Sendable (CompletedRequest) -> Void)?
    let workers: WorkerPool
    /// The TLS context new connections use; nil serves plain HTTP.
    let certificates: ServerCertificates?
    /// Connections accepted and not yet closed, across all loops.
    let openConnections = Atomic<Int>(0)

    // Timeouts in nanoseconds, converted once.
    let headerTimeout: UInt64
    let idleTimeout: UInt64
    let bodyTimeout: UInt64
    let writeTimeout: UInt64
    let lingerTimeout: UInt64
    /// How often each loop looks for expired timeouts: a quarter of the shortest timeout,
    /// between 10 ms and 500 ms.
    let sweepInterval: UInt64

    init(
        configuration: HTTPServerConfiguration, responder: any HTTPResponder,
        middleware: [any HTTPMiddleware],
        logger: Logger, observer: (@Sendable (CompletedRequest) -> Void)?, workers: WorkerPool,
        certificates: ServerCertificates? = nil
    ) {
        self.certificates = certificates
        self.configuration = configuration
        self.responder = responder
        self.middleware = middleware
        self.logger = logger
        self.observer = observer
        self.workers = workers
        let timeouts = configuration.timeouts
        headerTimeout = MonotonicClock.nanoseconds(timeouts.header)
        idleTimeout = MonotonicClock.nanoseconds(timeouts.idle)
        bodyTimeout = MonotonicClock.nanoseconds(timeouts.body)
        writeTimeout = MonotonicClock.nanoseconds(timeouts.write)
        lingerTimeout = MonotonicClock.nanoseconds(timeouts.linger)
        sweepInterval = min(max(MonotonicClock.nanoseconds(timeouts.shortest) / 4, 10_000_000), 500_000_000)
    }

    /// `response` through every middleware, in order, as `request`'s answer.
    func finished(_ response: HTTPResponse, for request: HTTPRequest) -> HTTPResponse {
        var finished = response
        for step in middleware { step.finish(&finished, for: request) }
        return finished
    }

    /// The 503 problem for an overloaded server, with `Retry-After` (RFC 9110 §10.2.3).
    func overloadedResponse(detail: String) -> HTTPResponse {
        .problem(
            ProblemDetails(
                status: 503, detail: detail,
                headers: ["Retry-After": String(configuration.retryAfterSeconds)]))
    }
}
