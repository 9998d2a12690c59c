import Threads

#if canImport(Glibc)
    import Glibc
#endif

extension Connection {
    /// A streamed response in progress on this connection (``HTTPStreamBody``).
    struct StreamState {
        let sink: HTTPStreamSink
        let keepAlive: [UInt8]?
        let keepAliveNanoseconds: UInt64?
        /// HTTP/1.1: chunked framing; HTTP/1.0: raw bytes, the end of the body is the close.
        let chunked: Bool
        /// When the last bytes were queued (loop time), for the keep-alive comment.
        var lastSentAt: UInt64
        /// What the sink is told when the connection closes.
        var ending = HTTPStreamSink.Ending.closed
    }

    static let lastChunk = Array("0\r\n\r\n".utf8)

    /// Queues the head of a streamed response and starts its body on a worker. The connection
    /// serves nothing else afterwards: it closes when the stream ends.
    func beginStream(
        _ body: HTTPStreamBody, response: HTTPResponse, pending: PendingResponse, in loop: EventLoop
    ) {
        let chunked = !pending.http10
        ResponseHead.writeStreamHead(
            response, chunked: chunked, requestID: pending.requestID, dateLine: loop.dateCache.line(),
            into: &output)
        requestsServed += 1
        loop.record(
            CompletedRequest(
                method: pending.method, path: pending.path, routePattern: response.routePattern,
                status: response.status,
                duration: .nanoseconds(Int64(MonotonicClock.nanoseconds() &- pending.startedAt)),
                requestBodyBytes: pending.requestBodyBytes, responseBodyBytes: 0,
                requestID: pending.requestID, remoteAddress: remoteAddress))
        // Pipelined requests after a stream are never answered.
        input = []
        inputNeedsProcessing = false
        guard !pending.headRequest, phase == .open, !loop.draining else {
            if chunked && !pending.headRequest { output.append(Self.lastChunk) }
            phase = .closeAfterFlush
            flush(in: loop)
            return
        }
        let token = self.token
        let sink = HTTPStreamSink(bufferLimit: body.bufferLimit) { [loop] in
            loop.enqueue(.streamReady(token: token))
        }
        stream = StreamState(
            sink: sink, keepAlive: body.keepAlive?.bytes,
            keepAliveNanoseconds: body.keepAlive.map { max(MonotonicClock.nanoseconds($0.interval), 1) },
            chunked: chunked, lastSentAt: loop.now)
        phase = .streaming
        flush(in: loop)
        guard phase == .streaming else { return }
        if !loop.context.workers.submit({ body.start(sink) }) {
            endStream(.shutdown, in: loop)
        }
    }

    /// Moves what the stream's writer queued to the socket; ends the body when it finished,
    /// closes the connection when the writer's side cut it.
    func pumpStream(in loop: EventLoop) {
        guard phase == .streaming, let state = stream else { return }
        let batch = state.sink.take()
        if let cut = batch.cut {
            loop.context.logger.warning(
                "http.stream_cut",
                [
                    "reason": .string(cut.rawValue), "buffer_limit_bytes": .int(state.sink.bufferLimit),
                    "remote_address": .string(remoteAddress),
                ])
            stream?.ending = cut
            close(in: loop)
            return
        }
        for chunk in batch.chunks where !chunk.isEmpty { appendStreamBytes(chunk, chunked: state.chunked) }
        if !batch.chunks.isEmpty { stream?.lastSentAt = loop.now }
        if batch.finish {
            endStream(.finished, in: loop)
            return
        }
        flush(in: loop)
        refreshDeadline(in: loop)
    }

    /// Ends the body (the terminating chunk) and closes once it is written.
    func endStream(_ ending: HTTPStreamSink.Ending, in loop: EventLoop) {
        guard phase == .streaming, let state = stream else { return }
        if state.chunked { output.append(Self.lastChunk) }
        stream = nil
        state.sink.end(ending)
        phase = .closeAfterFlush
        flush(in: loop)
        refreshDeadline(in: loop)
    }

    /// The stream was silent for its keep-alive interval.
    func sendKeepAlive(in loop: EventLoop) {
        guard phase == .streaming, let state = stream, let bytes = state.keepAlive else { return }
        appendStreamBytes(bytes, chunked: state.chunked)
        stream?.lastSentAt = loop.now
        flush(in: loop)
        refreshDeadline(in: loop)
    }

    private func appendStreamBytes(_ bytes: [UInt8], chunked: Bool) {
        if chunked {
            output.append(Array(String(bytes.count, radix: 16).utf8))
            output.append(ResponseHead.crlf)
            output.appendBody(bytes)
            output.append(ResponseHead.crlf)
        } else {
            output.appendBody(bytes)
        }
    }

    /// While streaming, the client has nothing to say: read and drop, and notice it leaving.
    func discardStreamInput(in loop: EventLoop) {
        while readable && phase == .streaming {
            let count = read(socket, loop.readBuffer.baseAddress, loop.readBuffer.count)
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            readable = false
            if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) { close(in: loop) }
        }
    }
}
