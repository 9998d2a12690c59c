import TLS
import Threads

#if canImport(Glibc)
    import Glibc
#endif

/// One accepted socket and its HTTP/1.x exchange, owned by one event loop and touched only
/// on that loop's thread. Requests are answered strictly in order: while one is on a
/// worker, later pipelined bytes wait in `input` (RFC 9112 §9.3.2).
final class Connection {
    enum Phase {
        case open
        /// A response with `Connection: close` is queued; nothing more is read or parsed.
        case closeAfterFlush
        /// A streamed response (``HTTPStreamBody``) is being written; input is discarded.
        case streaming
        /// Write side shut; unread input is drained until EOF or the linger deadline.
        case lingering
        case closed
    }

    enum TimeoutAction {
        case none
        case closeSilently
        /// Answer 408 (RFC 9110 §15.5.9), then close.
        case requestTimeout
        /// A stream was silent for its keep-alive interval: send its comment.
        case streamKeepAlive
    }

    /// A request handed to a worker: what is needed to write and log its response.
    struct PendingResponse {
        let method: HTTPMethod
        let path: String
        let requestID: String
        let headRequest: Bool
        let disposition: ConnectionDisposition
        let startedAt: UInt64
        let requestBodyBytes: Int
        /// HTTP/1.0 has no chunked coding: a stream's body then ends with the connection.
        let http10: Bool
        /// Who the access log names: the client (behind a trusted proxy, the forwarded one).
        var clientAddress: String? = nil
    }

    /// Above this many unsent bytes, stop parsing pipelined requests until the client reads.
    static let outputHighWaterBytes = 256 * 1024
    /// Input capacity kept between requests; more is released so idle connections stay small.
    static let retainedInputCapacity = 4 * 1024

    let socket: Int32
    let token: UInt64
    let remoteAddress: String
    /// The peer's IP without its port (the client, unless a trusted proxy names another).
    let peerAddress: String
    /// The TLS session on an HTTPS listener; nil for plain HTTP.
    var tls: TLSSession?
    var tlsPhase: TLSPhase
    /// OpenSSL needs the socket writable before a read can go on (`Connection+TLS.swift`).
    var tlsReadNeedsWritable = false
    /// OpenSSL needs the socket readable before a write can go on.
    var tlsWriteNeedsReadable = false
    var parser: HTTPRequestParser
    /// Received bytes not yet consumed by the parser (a partial line, pipelined requests).
    var input: [UInt8] = []
    /// `input` holds bytes that were not parsed because the connection was busy.
    var inputNeedsProcessing = false
    var output = OutboundBuffer()
    var phase = Phase.open
    /// Edge-triggered epoll: the socket may hold unread bytes.
    var readable = false
    var peerClosedInput = false
    /// epoll reported the peer's FIN (`EPOLLRDHUP`): read on until `read` returns 0, since
    /// edge-triggered epoll will not report it again.
    var peerHangUpSignalled = false
    var pending: PendingResponse?
    var continueSent = false
    /// When the current request's head was complete (loop time), for its deadline; nil until then.
    var headCompletedAt: UInt64?
    var requestsServed = 0
    /// The streamed response in progress (phase `.streaming`).
    var stream: StreamState?

    // Clocks (loop time, nanoseconds) for the timeouts.
    let acceptedAt: UInt64
    var requestStartedAt: UInt64
    var lastActivityAt: UInt64
    var writeStalledSince: UInt64?
    var lingerDeadline: UInt64 = 0
    private(set) var deadline: UInt64 = .max
    private(set) var timeoutAction = TimeoutAction.none

    init(
        socket: Int32, token: UInt64, remoteAddress: String, limits: HTTPLimits, now: UInt64,
        tls: TLSSession? = nil
    ) {
        self.socket = socket
        self.token = token
        self.remoteAddress = remoteAddress
        peerAddress = Self.hostPart(of: remoteAddress)
        self.tls = tls
        tlsPhase = tls == nil ? .none : .awaitingClientHello
        parser = HTTPRequestParser(limits: limits)
        acceptedAt = now
        requestStartedAt = now
        lastActivityAt = now
    }

    var awaitingWorker: Bool { pending != nil }

    /// No request in progress and nothing to write: safe to close when draining.
    var isIdle: Bool {
        phase == .open && pending == nil && output.isEmpty && input.isEmpty
            && !parser.hasConsumedPartialRequest
    }

    /// `ip` of `ip:port` or `[ip]:port`.
    static func hostPart(of address: String) -> String {
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        if let colon = address.lastIndex(of: ":"), !address[..<colon].contains(":") {
            return String(address[..<colon])
        }
        return address
    }

    /// Recomputes the one deadline the sweep checks, from the connection's state.
    func refreshDeadline(in loop: EventLoop) {
        let context = loop.context
        switch phase {
        case .closed:
            deadline = .max
            timeoutAction = .none
        case .lingering:
            deadline = lingerDeadline
            timeoutAction = .closeSilently
        case .streaming:
            if let stalled = writeStalledSince, !output.isEmpty {
                // The reader stopped reading while bytes wait: cut at the write timeout.
                (deadline, timeoutAction) = (stalled + context.writeTimeout, .closeSilently)
            } else if let stream, let interval = stream.keepAliveNanoseconds {
                (deadline, timeoutAction) = (stream.lastSentAt + interval, .streamKeepAlive)
            } else {
                (deadline, timeoutAction) = (.max, .none)
            }
        case .open, .closeAfterFlush:
            if let stalled = writeStalledSince, !output.isEmpty {
                // The client does not read its response.
                (deadline, timeoutAction) = (stalled + context.writeTimeout, .closeSilently)
            } else if pending != nil {
                (deadline, timeoutAction) = (.max, .none)
            } else if parser.isReadingBody {
                // A stall ends the request, and so does the total: a body trickled a byte at
                // a time, each inside the body timeout, is cut all the same.
                let total = requestStartedAt + requestReadTimeout(context)
                (deadline, timeoutAction) = (
                    min(lastActivityAt + context.bodyTimeout, total), .requestTimeout
                )
            } else if parser.hasConsumedPartialRequest || !input.isEmpty {
                // Counted from the request's first byte, not the last: a client trickling
                // header bytes (slowloris) is cut off all the same.
                let limit = min(context.headerTimeout, requestReadTimeout(context))
                (deadline, timeoutAction) = (requestStartedAt + limit, .requestTimeout)
            } else if requestsServed == 0 {
                // A connection that never sent a byte gets the header timeout, silently.
                (deadline, timeoutAction) = (acceptedAt + context.headerTimeout, .closeSilently)
            } else {
                (deadline, timeoutAction) = (lastActivityAt + context.idleTimeout, .closeSilently)
            }
        }
    }

    /// The total time a request may take to arrive, head and body (`HTTPTimeouts.requestRead`).
    private func requestReadTimeout(_ context: ServerContext) -> UInt64 {
        MonotonicClock.nanoseconds(context.configuration.timeouts.requestRead)
    }

    /// The sweep found the deadline passed.
    func deadlineExpired(in loop: EventLoop) {
        switch timeoutAction {
        case .none:
            return
        case .closeSilently:
            close(in: loop)
        case .streamKeepAlive:
            sendKeepAlive(in: loop)
        case .requestTimeout:
            refuse(status: 408, detail: "The request was not received in time.", in: loop)
            flush(in: loop)
            refreshDeadline(in: loop)
        }
    }

    /// Closes the socket (which also removes it from epoll) and forgets the connection.
    func close(in loop: EventLoop) {
        guard phase != .closed else { return }
        phase = .closed
        pending = nil
        if let stream {
            self.stream = nil
            stream.sink.end(stream.ending)
        }
        // The session refers to the descriptor: let go of it before the number can be reused.
        tls = nil
        _ = Glibc.close(socket)
        loop.forget(self)
    }
}
