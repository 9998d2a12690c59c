import CEpoll
import Threads

#if canImport(Glibc)
    import Glibc
#endif

extension Connection {
    /// Queues the response to a request, logs it, and decides whether the connection stays.
    func complete(_ pending: PendingResponse, with response: HTTPResponse, in loop: EventLoop) {
        if let body = response.stream, response.status == 200 {
            beginStream(body, response: response, pending: pending, in: loop)
            return
        }
        var disposition = pending.disposition
        if loop.draining || response.headers.containsToken("close", in: "Connection") { disposition = .close }
        ResponseHead.write(
            response, headRequest: pending.headRequest, disposition: disposition,
            requestID: pending.requestID,
            dateLine: loop.dateCache.line(), into: &output)
        requestsServed += 1
        if disposition == .close && phase == .open { phase = .closeAfterFlush }
        loop.record(
            CompletedRequest(
                method: pending.method, path: pending.path, routePattern: response.routePattern,
                status: response.status,
                duration: .nanoseconds(Int64(MonotonicClock.nanoseconds() &- pending.startedAt)),
                requestBodyBytes: pending.requestBodyBytes,
                responseBodyBytes: pending.headRequest ? 0 : response.body.count,
                requestID: pending.requestID, remoteAddress: pending.clientAddress ?? remoteAddress))
    }

    /// Answers a request the connection cannot serve (a parse error, a timeout) with a
    /// problem and `Connection: close`; the connection closes once it is written.
    func refuse(status: Int, detail: String, in loop: EventLoop) {
        let requestID = loop.requestIDs.next()
        let pending = PendingResponse(
            method: parser.state == .requestLine ? HTTPMethod(rawValue: "-") : parser.method, path: "",
            requestID: requestID, headRequest: false, disposition: .close,
            startedAt: MonotonicClock.nanoseconds(), requestBodyBytes: 0, http10: false)
        phase = .closeAfterFlush
        input = []
        inputNeedsProcessing = false
        complete(pending, with: .problem(ProblemDetails(status: status, detail: detail)), in: loop)
    }

    /// A connection over the cap: 503 with `Retry-After`, then close.
    func refuseOverloaded(in loop: EventLoop) {
        let response = loop.context.overloadedResponse(detail: "The server has too many open connections.")
        phase = .closeAfterFlush
        ResponseHead.write(
            response, headRequest: false, disposition: .close, requestID: "", dateLine: loop.dateCache.line(),
            into: &output)
        loop.warnOverloaded()
        flush(in: loop)
        refreshDeadline(in: loop)
    }

    /// Writes what the socket takes; on a closing connection, moves on once all is written.
    func flush(in loop: EventLoop) {
        if !output.isEmpty {
            let result: Result<Int, SocketError>
            if let session = tls {
                result = flushThroughTLS(session).mapError { _ in
                    SocketError(operation: "SSL_write", code: EPIPE)
                }
            } else {
                result = output.flush(to: socket)
            }
            switch result {
            case .success(let written):
                if output.isEmpty {
                    writeStalledSince = nil
                } else if written > 0 || writeStalledSince == nil {
                    writeStalledSince = loop.now
                }
                if written > 0 { lastActivityAt = loop.now }
            case .failure:
                close(in: loop)
                return
            }
            // Writers waiting for room in a stream's buffer may go on.
            stream?.sink.connectionHolds(output.pendingBytes)
        }
        if output.isEmpty && phase == .closeAfterFlush && pending == nil {
            if peerClosedInput { close(in: loop) } else { startLingering(in: loop) }
        }
    }

    /// Half-closes and drains input for a while, so the kernel does not answer unread
    /// request bytes with a reset that would destroy the response in flight (the "lingering
    /// close" of RFC 9112 §9.6).
    private func startLingering(in loop: EventLoop) {
        sendCloseNotify()
        shutdown(socket, Int32(SHUT_WR))
        phase = .lingering
        lingerDeadline = loop.now + loop.context.lingerTimeout
        readable = true
        discardInput(in: loop)
    }
}
