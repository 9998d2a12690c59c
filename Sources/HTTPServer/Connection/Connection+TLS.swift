import TLS

#if canImport(Glibc)
    import Glibc
#endif

/// HTTPS on the event loop: the handshake advances on readiness like any read (never
/// blocking), then the exchange reads and writes through the session. The deadlines are the
/// connection's usual ones: a handshake that stalls is a connection that sent no request,
/// closed at the header timeout from accept.
extension Connection {
    enum TLSPhase {
        /// Plain HTTP.
        case none
        /// Nothing read yet: a TLS record starts the handshake, anything else is a client
        /// speaking plain HTTP to the HTTPS port.
        case awaitingClientHello
        case handshaking
        case established
    }

    /// What one receive brought.
    enum Received {
        case bytes(Int)
        /// The peer ended the stream.
        case end
        /// Nothing more for now; wait for readiness.
        case drained
        /// Interrupted: try again at once.
        case retry
        case failed
    }

    /// The first byte of every TLS handshake record (RFC 8446 §5.1, content type 22).
    static let tlsHandshakeRecord: UInt8 = 0x16

    /// Moves the handshake on; true once the connection speaks HTTP (over TLS, or plain after
    /// telling a plain-HTTP client off). Closes the connection when the handshake fails.
    func advanceHandshake(in loop: EventLoop) -> Bool {
        if tlsPhase == .awaitingClientHello {
            guard readable else { return false }
            var first: UInt8 = 0
            let count = recv(socket, &first, 1, Int32(MSG_PEEK))
            if count == 0 {
                close(in: loop)
                return false
            }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    readable = false
                } else if errno != EINTR {
                    close(in: loop)
                }
                return false
            }
            guard first == Self.tlsHandshakeRecord else {
                refusePlainHTTP(in: loop)
                return true
            }
            tlsPhase = .handshaking
        }
        guard let session = tls else { return true }
        do {
            switch try session.handshake() {
            case .complete:
                tlsPhase = .established
                // The client's first request may have come with its last handshake flight.
                readable = true
                return true
            case .wantRead:
                readable = false
                return false
            case .wantWrite:
                return false
            }
        } catch {
            loop.context.logger.debug(
                "http.tls_handshake_failed",
                ["remote": .string(remoteAddress), "error": .string(error.message)])
            close(in: loop)
            return false
        }
    }

    /// A plain HTTP request on the HTTPS port: answered in plain HTTP (400, saying so), then
    /// closed, as Go's server does, rather than a reset the client cannot explain.
    private func refusePlainHTTP(in loop: EventLoop) {
        tls = nil
        tlsPhase = .none
        refuse(
            status: 400, detail: "This port speaks HTTPS: send the request with https:// (TLS).", in: loop)
        flush(in: loop)
    }

    /// Reads what arrived into the loop's buffer, decrypted when the connection is TLS.
    func receive(in loop: EventLoop) -> Received {
        guard let session = tls else { return receivePlain(in: loop) }
        let outcome = Result { () throws(TLSError) in try session.read(into: loop.readBuffer) }
        switch outcome {
        case .success(.bytes(let count)):
            // One record at most per read. Read on while OpenSSL holds more or its last read
            // filled what it asked for; a short read drained the socket (as in receivePlain),
            // which saves the read(2) that would only return EAGAIN. After a FIN, read on to
            // the end of stream.
            if session.inputExhausted && !peerHangUpSignalled { readable = false }
            return .bytes(count)
        case .success(.wantRead):
            return .drained
        case .success(.wantWrite):
            tlsReadNeedsWritable = true
            return .drained
        case .success(.closed):
            return .end
        case .failure(let error):
            return error.kind == .closed ? .end : .failed
        }
    }

    private func receivePlain(in loop: EventLoop) -> Received {
        let count = read(socket, loop.readBuffer.baseAddress, loop.readBuffer.count)
        if count > 0 {
            // A short read drained the socket; edge-triggered epoll reports new bytes. After
            // a FIN it reports nothing more, so read on to the 0 that says so: a client
            // gone in the middle of a request is noticed now, not at its timeout.
            if count < loop.readBuffer.count && !peerHangUpSignalled { readable = false }
            return .bytes(count)
        }
        if count == 0 { return .end }
        if errno == EINTR { return .retry }
        if errno == EAGAIN || errno == EWOULDBLOCK { return .drained }
        return .failed
    }

    /// Writes queued output through the session; the same bookkeeping as a plain flush.
    func flushThroughTLS(_ session: TLSSession) -> Result<Int, TLSError> {
        var total = 0
        tlsWriteNeedsReadable = false
        while !output.isEmpty {
            let outcome = output.withFirstPendingBytes { bytes in
                Result { () throws(TLSError) in try session.write(bytes) }
            }
            switch outcome {
            case .success(.bytes(let count)):
                output.consume(count)
                total += count
            case .success(.wantWrite):
                return .success(total)
            case .success(.wantRead):
                tlsWriteNeedsReadable = true
                return .success(total)
            case .success(.closed):
                return .failure(TLSError(.closed, "write: the peer closed the connection"))
            case .failure(let error):
                return .failure(error)
            }
        }
        return .success(total)
    }

    /// Before the write side closes: close_notify, so the client knows the response is whole
    /// (one attempt; a full socket buffer skips it, the FIN still follows).
    func sendCloseNotify() {
        guard let session = tls, tlsPhase == .established else { return }
        _ = session.shutdown()
    }
}
