import Log
import Synchronization
import TLS
import Threads

#if canImport(Glibc)
    import Glibc
#endif

/// The HTTP/1.1 server: listening sockets, event loops, a worker pool, and a responder
/// (see docs/ARCHITECTURE.md, "Execution model"). Signals are the caller's business: call
/// `shutdown(gracePeriod:)` on SIGTERM.
public final class HTTPServer: Sendable {
    private enum Phase {
        case idle
        case running
        case draining
        case stopped
    }

    private struct State {
        var phase = Phase.idle
        var boundPort = 0
        var loops: [EventLoop] = []
        var context: ServerContext?
        var runningLoops = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    public let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let middleware: [any HTTPMiddleware]
    private let logger: Logger
    private let observer: (@Sendable (CompletedRequest) -> Void)?
    private let state = Mutex(State())
    private let stoppedSignal = ConditionSignal()

    /// `middleware` finishes every answer once, in order (ETag/gzip, CORS). `observer` is
    /// called for every answered request (on an event-loop thread; keep it cheap), e.g. to feed
    /// Prometheus counters.
    public init(
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(), responder: any HTTPResponder,
        middleware: [any HTTPMiddleware] = [], logger: Logger = Logger(),
        observer: (@Sendable (CompletedRequest) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.responder = responder
        self.middleware = middleware
        self.logger = logger
        self.observer = observer
    }

    /// The port listened on (the chosen one when configured with 0); 0 before `start()`.
    public var boundPort: Int { state.withLock { $0.boundPort } }

    /// Connections currently open, across all loops.
    public var openConnectionCount: Int {
        state.withLock { $0.context?.openConnections.load(ordering: .relaxed) ?? 0 }
    }

    /// Requests waiting for a worker thread.
    public var queuedRequestCount: Int { state.withLock { $0.context?.workers.queuedCount ?? 0 } }

    /// Binds, starts the worker pool and the event loops, and returns; serving goes on in
    /// the background until `shutdown(gracePeriod:)`.
    public func start() throws {
        try state.withLock { state throws in
            guard state.phase == .idle else {
                throw SocketError(operation: "start (already started)", code: EINVAL)
            }
            ResourceLimits.ignoreBrokenPipeSignal()
            // Before binding: a certificate that cannot be used stops the start, not a handshake.
            let certificates = try configuration.tls.map { files throws(TLSError) in
                try ServerCertificates(files: files)
            }
            let fileLimit = ResourceLimits.raiseOpenFileLimit()
            if fileLimit >= 0 && fileLimit < configuration.maxConnections + 64 {
                logger.warning(
                    "http.file_limit_low",
                    ["limit": .int(fileLimit), "max_connections": .int(configuration.maxConnections)])
            }
            let (sockets, port) = try Listener.open(
                host: configuration.host, port: configuration.port, backlog: configuration.listenBacklog,
                logger: logger)
            do {
                try startLoops(listeners: sockets, certificates: certificates, state: &state)
            } catch {
                for socket in sockets { close(socket) }
                throw error
            }
            state.boundPort = port
            state.phase = .running
            logger.info(
                "http.listening",
                [
                    "host": .string(configuration.host ?? "0.0.0.0,::"), "port": .int(port),
                    "event_loops": .int(state.loops.count), "workers": .int(configuration.workerCount),
                    "scheme": .string(certificates == nil ? "http" : "https"),
                ])
        }
    }

    private func startLoops(listeners: [Int32], certificates: ServerCertificates?, state: inout State)
        throws(SocketError)
    {
        let workers = try WorkerPool(
            threadCount: configuration.workerCount, queueCapacity: configuration.workerQueueCapacity)
        let context = ServerContext(
            configuration: configuration, responder: responder, middleware: middleware, logger: logger,
            observer: observer,
            workers: workers, certificates: certificates)
        var loops: [EventLoop] = []
        for index in 0..<max(1, configuration.eventLoopCount) {
            loops.append(try EventLoop(index: index, context: context) { [self] in loopStopped() })
        }
        for loop in loops { loop.peers = loops }
        loops[0].addListeners(listeners)
        state.loops = loops
        state.context = context
        state.runningLoops = loops.count
        for loop in loops {
            _ = try SocketError.startingThread { () throws(ThreadStartError) in
                try PosixThread(name: "http-loop-\(loop.index)", detached: true) { loop.run() }
            }
        }
    }

    /// Reads the certificate chain and key files of `configuration.tls` again: connections
    /// accepted from now on present what they hold, open ones keep the old certificate. Throws
    /// (and keeps serving the old one) when the files cannot be used, or before `start()`,
    /// or when the server does not serve TLS.
    public func reloadCertificates() throws(TLSError) {
        guard let certificates = state.withLock({ $0.context?.certificates }) else {
            throw TLSError(.configuration, "the server is not serving TLS")
        }
        try certificates.reload()
    }

    /// Whether connections start with a TLS handshake.
    public var servesTLS: Bool { configuration.tls != nil }

    /// Graceful shutdown: stop accepting (the listeners close), let requests in progress
    /// finish and answer with `Connection: close`, close idle connections; after
    /// `gracePeriod`, close whatever is left. Returns at once; see `waitUntilStopped()`.
    public func shutdown(gracePeriod: Duration = .seconds(10)) {
        let loops = state.withLock { state -> [EventLoop] in
            switch state.phase {
            case .idle:
                state.phase = .stopped
                return []
            case .running:
                state.phase = .draining
                return state.loops
            case .draining, .stopped:
                return []
            }
        }
        if loops.isEmpty {
            if boundPort == 0 { finish() }
            return
        }
        logger.info(
            "http.shutdown",
            ["grace_period_ms": .int(Int(MonotonicClock.nanoseconds(gracePeriod) / 1_000_000))])
        let deadline = MonotonicClock.nanoseconds() + MonotonicClock.nanoseconds(gracePeriod)
        for loop in loops { loop.enqueue(.drain(forceCloseAt: deadline)) }
    }

    /// Blocks the calling thread until the server has stopped.
    public func waitUntilStopped() {
        while true {
            let ticket = stoppedSignal.ticket()
            if state.withLock({ $0.phase == .stopped }) { return }
            stoppedSignal.wait(since: ticket, timeoutNanoseconds: 100_000_000)
        }
    }

    /// Suspends until the server has stopped.
    public func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = state.withLock { state -> Bool in
                if state.phase == .stopped { return true }
                state.waiters.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    /// Called on each loop's thread as it exits; the last one stops the workers.
    private func loopStopped() {
        let (last, context) = state.withLock { state -> (Bool, ServerContext?) in
            state.runningLoops -= 1
            return (state.runningLoops == 0, state.context)
        }
        guard last else { return }
        context?.workers.shutdown(timeout: .seconds(5))
        logger.info("http.stopped")
        finish()
    }

    private func finish() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.phase = .stopped
            // The loops and the server refer to each other; let go so both can be freed.
            state.loops = []
            defer { state.waiters = [] }
            return state.waiters
        }
        stoppedSignal.wake(all: true)
        for waiter in waiters { waiter.resume() }
    }
}
