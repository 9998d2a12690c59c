import CEpoll
import Threads

#if canImport(Glibc)
    import Glibc
#endif

extension Connection {
    /// Reacts to epoll readiness.
    func handle(events: UInt32, in loop: EventLoop) {
        guard phase != .closed else { return }
        if events & EPOLLERR.rawValue != 0 {
            close(in: loop)
            return
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0 { readable = true }
        if events & (EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0 { peerHangUpSignalled = true }
        if tlsPhase == .awaitingClientHello || tlsPhase == .handshaking {
            guard advanceHandshake(in: loop) else {
                refreshDeadline(in: loop)
                return
            }
        }
        if tlsReadNeedsWritable && events & EPOLLOUT.rawValue != 0 {
            tlsReadNeedsWritable = false
            readable = true
        }
        let writable =
            events & EPOLLOUT.rawValue != 0 || (tlsWriteNeedsReadable && events & EPOLLIN.rawValue != 0)
        if writable && !output.isEmpty { flush(in: loop) }
        drive(in: loop)
        refreshDeadline(in: loop)
    }

    /// Reads and answers until the socket is drained or the connection must wait (a worker
    /// is busy with its request, or the client is not reading its responses).
    func drive(in loop: EventLoop) {
        while true {
            switch phase {
            case .closed, .closeAfterFlush: return
            case .streaming:
                discardStreamInput(in: loop)
                return
            case .lingering:
                discardInput(in: loop)
                return
            case .open: break
            }
            if pending != nil || output.pendingBytes >= Self.outputHighWaterBytes { return }
            if inputNeedsProcessing {
                inputNeedsProcessing = false
                processCarriedInput(in: loop)
                flush(in: loop)
                continue
            }
            guard readable else { return }
            switch receive(in: loop) {
            case .bytes(let count):
                lastActivityAt = loop.now
                let bytes = UnsafeBufferPointer(
                    start: loop.readBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count)
                process(bytes, in: loop)
                flush(in: loop)
            case .end:
                readable = false
                peerClosed(in: loop)
                return
            case .retry:
                continue
            case .drained:
                readable = false
                return
            case .failed:
                close(in: loop)
                return
            }
        }
    }

    /// Parses freshly read bytes (from the loop's shared buffer); keeps what is left over.
    private func process(_ bytes: UnsafeBufferPointer<UInt8>, in loop: EventLoop) {
        guard input.isEmpty else {
            input.append(contentsOf: bytes)
            processCarriedInput(in: loop)
            return
        }
        if !parser.hasConsumedPartialRequest { requestStartedAt = loop.now }
        let consumed = parseAndAnswer(bytes, in: loop)
        if consumed < bytes.count && phase == .open {
            input.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[consumed...]))
        }
    }

    /// Parses bytes kept from earlier reads.
    func processCarriedInput(in loop: EventLoop) {
        var carried: [UInt8] = []
        swap(&carried, &input)
        let consumed = carried.withUnsafeBufferPointer { parseAndAnswer($0, in: loop) }
        guard phase == .open else { return }
        if consumed == carried.count {
            if carried.capacity <= Self.retainedInputCapacity {
                carried.removeAll(keepingCapacity: true)
                input = carried
            }
        } else {
            input = consumed == 0 ? carried : Array(carried[consumed...])
        }
    }

    /// Runs the parser over `bytes`, answering each complete request; returns the bytes consumed.
    private func parseAndAnswer(_ bytes: UnsafeBufferPointer<UInt8>, in loop: EventLoop) -> Int {
        var offset = 0
        while phase == .open && pending == nil && output.pendingBytes < Self.outputHighWaterBytes {
            let (consumed, event) = parser.parse(UnsafeBufferPointer(rebasing: bytes[offset...]))
            offset += consumed
            switch event {
            case .needMore:
                return offset
            case .headReceived(let expectsContinue):
                headCompletedAt = loop.now
                // RFC 9110 §10.1.1: the request is acceptable (limits passed), so invite the
                // body; earlier responses are already queued, so order is kept.
                if expectsContinue && offset == bytes.count && !continueSent {
                    output.append(ResponseHead.continueResponse)
                    continueSent = true
                }
            case .complete(let request):
                continueSent = false
                // A request without a body is complete when its head is.
                let headAt = headCompletedAt ?? loop.now
                headCompletedAt = nil
                answer(request, headCompletedAt: headAt, in: loop)
                requestStartedAt = loop.now
            case .failed(let error):
                refuse(status: error.status, detail: error.detail, in: loop)
                return offset
            }
        }
        if offset < bytes.count { inputNeedsProcessing = true }
        return offset
    }

    /// Runs the responder inline or hands the request to a worker.
    private func answer(_ parsed: HTTPRequest, headCompletedAt: UInt64, in loop: EventLoop) {
        var request = parsed
        request.remoteAddress = remoteAddress
        let proxies = loop.context.configuration.trustedProxies
        request.clientAddress =
            proxies.isEmpty
            ? peerAddress
            : proxies.client(peer: peerAddress, forwardedFor: request.headers.values(for: "X-Forwarded-For"))
        // HTTPTimeouts.requestDeadline from the end of the head, on the clock handlers use.
        let due =
            headCompletedAt &+ MonotonicClock.nanoseconds(loop.context.configuration.timeouts.requestDeadline)
        request.deadline =
            ContinuousClock.now + .nanoseconds(Int64(bitPattern: due &- MonotonicClock.nanoseconds()))
        request.requestID = loop.requestIDs.id(honouring: request.headers["X-Request-ID"])
        let keepAlive = request.wantsKeepAlive && !loop.draining
        let disposition: ConnectionDisposition =
            keepAlive ? (request.version == .http1_0 ? .keepAliveHTTP10 : .keepAlive) : .close
        let pending = PendingResponse(
            method: request.method, path: request.path, requestID: request.requestID,
            headRequest: request.method == .head, disposition: disposition,
            startedAt: MonotonicClock.nanoseconds(), requestBodyBytes: request.body.count,
            http10: request.version == .http1_0,
            clientAddress: request.clientAddress == peerAddress ? nil : request.clientAddress)
        let context = loop.context
        if let refusal = RequestScreening.refusal(for: request) {
            complete(pending, with: context.finished(refusal, for: request), in: loop)
            return
        }
        let received = request
        switch context.responder.respond(to: received) {
        case .now(let response):
            complete(pending, with: context.finished(response, for: received), in: loop)
        case .onWorker(let work):
            let token = self.token
            let submitted = context.workers.submit { [loop] in
                loop.enqueue(.response(token: token, response: context.finished(work(), for: received)))
            }
            if submitted {
                self.pending = pending
            } else {
                let busy = context.overloadedResponse(detail: "All workers are busy; retry shortly.")
                complete(pending, with: context.finished(busy, for: received), in: loop)
            }
        }
    }

    /// The worker answered this connection's request.
    func workerFinished(_ response: HTTPResponse, in loop: EventLoop) {
        guard let pending else { return }
        self.pending = nil
        complete(pending, with: response, in: loop)
        requestStartedAt = loop.now
        if !input.isEmpty { inputNeedsProcessing = true }
        flush(in: loop)
        drive(in: loop)
        refreshDeadline(in: loop)
    }

    /// The client shut its side. Finish what is owed, then close.
    private func peerClosed(in loop: EventLoop) {
        peerClosedInput = true
        if pending == nil && output.isEmpty {
            close(in: loop)
        } else {
            phase = .closeAfterFlush
            flush(in: loop)
        }
    }

    /// While lingering: read and drop whatever the client still sends, until EOF.
    func discardInput(in loop: EventLoop) {
        while readable && phase == .lingering {
            let count = read(socket, loop.readBuffer.baseAddress, loop.readBuffer.count)
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            readable = false
            if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { close(in: loop) }
        }
    }
}
