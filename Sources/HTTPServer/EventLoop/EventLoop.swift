import CEpoll
import Log
import Synchronization
import Threads

#if canImport(Glibc)
    import Glibc
#endif

/// One event-loop thread: an epoll set of non-blocking sockets, an eventfd for wake-ups
/// from other threads, and the connections it owns. Everything but `enqueue` runs on the
/// loop's own thread, which is why the class is `@unchecked Sendable` (see ADR 0001).
final class EventLoop: @unchecked Sendable {
    /// Work handed to the loop from other threads.
    enum Task: Sendable {
        /// A connection accepted by the acceptor loop, now owned by this one.
        case adopt(socket: Int32, remoteAddress: String, overloaded: Bool)
        /// A worker finished the request of connection `token`.
        case response(token: UInt64, response: HTTPResponse)
        /// A streamed response of connection `token` has bytes (or its end) to send.
        case streamReady(token: UInt64)
        /// Graceful shutdown: stop accepting, close idle connections, force-close at the deadline.
        case drain(forceCloseAt: UInt64)
    }

    private struct Mailbox {
        var tasks: [Task] = []
        var wakePending = false
        var closed = false
    }

    // epoll user data: connections are `generation << 32 | fd`; these tags mark the others.
    static let listenerTag: UInt64 = 0x8000_0000_0000_0000
    static let wakeTag: UInt64 = 0x4000_0000_0000_0000
    /// Bytes read per `read` call into the loop's shared buffer.
    static let readBufferBytes = 64 * 1024
    static let maxEventsPerWait = 256

    let index: Int
    let context: ServerContext
    let epollDescriptor: Int32
    let wakeDescriptor: Int32
    private let mailbox = Mutex(Mailbox())
    /// Called once on the loop's thread after it stopped.
    let onStopped: @Sendable () -> Void

    // Loop-thread state.
    var connections: [Connection?] = []
    var connectionCount = 0
    var listeners: [Int32] = []
    var acceptPausedUntil: UInt64?
    var peers: [EventLoop] = []
    var nextPeer = 0
    let readBuffer: UnsafeMutableRawBufferPointer
    var dateCache = HTTPDateCache()
    var requestIDs = RequestIDGenerator()
    var accessLog: AccessLog
    var now: UInt64
    var nextSweep: UInt64
    var generation: UInt32 = 0
    var draining = false
    var forceCloseAt: UInt64?
    var running = true
    var lastOverloadWarningAt: UInt64 = 0

    init(index: Int, context: ServerContext, onStopped: @escaping @Sendable () -> Void) throws(SocketError) {
        self.index = index
        self.context = context
        self.onStopped = onStopped
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SocketError(operation: "epoll_create1") }
        let wake = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wake >= 0 else {
            let error = SocketError(operation: "eventfd")
            close(epoll)
            throw error
        }
        epollDescriptor = epoll
        wakeDescriptor = wake
        readBuffer = .allocate(byteCount: Self.readBufferBytes, alignment: 16)
        accessLog = AccessLog(logger: context.logger, enabled: context.configuration.accessLog)
        now = MonotonicClock.nanoseconds()
        nextSweep = now + context.sweepInterval
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(u64: Self.wakeTag))
        epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &event)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Hands `task` to the loop; false once the loop has stopped (the caller cleans up).
    @discardableResult
    func enqueue(_ task: Task) -> Bool {
        mailbox.withLock { mailbox in
            guard !mailbox.closed else { return false }
            mailbox.tasks.append(task)
            if !mailbox.wakePending {
                mailbox.wakePending = true
                // Written under the lock so the descriptor cannot be closed in between.
                var one: UInt64 = 1
                _ = write(wakeDescriptor, &one, 8)
            }
            return true
        }
    }

    /// The loop's thread body: wait, dispatch, sweep, until drained.
    func run() {
        var events = [epoll_event](repeating: epoll_event(), count: Self.maxEventsPerWait)
        while running {
            let wait = nextSweep > now ? Int32(min((nextSweep - now) / 1_000_000 + 1, 1000)) : 0
            let count = epoll_wait(epollDescriptor, &events, Int32(Self.maxEventsPerWait), wait)
            now = MonotonicClock.nanoseconds()
            if count < 0 {
                if errno == EINTR { continue }
                context.logger.error(
                    "http.epoll_wait_failed",
                    ["error": .string(SocketError(operation: "epoll_wait").description)])
                break
            }
            for event in events[0..<Int(count)] { dispatch(event) }
            if now >= nextSweep {
                sweep()
                nextSweep = now + context.sweepInterval
            }
            // Before waiting again: the lines of this iteration's answers go out now.
            accessLog.flush()
            if draining && connectionCount == 0 { running = false }
        }
        tearDown()
    }

    private func dispatch(_ event: epoll_event) {
        let data = event.data.u64
        if data == Self.wakeTag {
            drainMailbox()
        } else if data & Self.listenerTag != 0 {
            acceptConnections(from: Int32(truncatingIfNeeded: data & 0xFFFF_FFFF))
        } else if let connection = connection(for: data) {
            connection.handle(events: event.events, in: self)
        }
    }

    /// The connection an epoll token or worker reply refers to, if it is still open
    /// (the generation guards against a reused descriptor number).
    func connection(for token: UInt64) -> Connection? {
        let socket = Int(token & 0xFFFF_FFFF)
        guard socket < connections.count, let connection = connections[socket], connection.token == token
        else {
            return nil
        }
        return connection
    }

    private func drainMailbox() {
        var counter: UInt64 = 0
        _ = read(wakeDescriptor, &counter, 8)
        let tasks = mailbox.withLock { mailbox -> [Task] in
            mailbox.wakePending = false
            defer { mailbox.tasks.removeAll(keepingCapacity: true) }
            return mailbox.tasks
        }
        for task in tasks {
            switch task {
            case .adopt(let socket, let remoteAddress, let overloaded):
                adopt(socket: socket, remoteAddress: remoteAddress, overloaded: overloaded)
            case .response(let token, let response):
                connection(for: token)?.workerFinished(response, in: self)
            case .streamReady(let token):
                connection(for: token)?.pumpStream(in: self)
            case .drain(let deadline):
                beginDrain(forceCloseAt: deadline)
            }
        }
    }

    /// Closes everything the loop still owns and reports that it stopped.
    private func tearDown() {
        for connection in connections { connection?.close(in: self) }
        for listener in listeners { close(listener) }
        listeners = []
        mailbox.withLock { mailbox in
            mailbox.closed = true
            // Connections handed over but never adopted: close them here.
            for case .adopt(let socket, _, _) in mailbox.tasks {
                close(socket)
                _ = context.openConnections.subtract(1, ordering: .relaxed)
            }
            mailbox.tasks = []
            close(wakeDescriptor)
        }
        close(epollDescriptor)
        peers = []
        accessLog.flush()
        onStopped()
    }
}
