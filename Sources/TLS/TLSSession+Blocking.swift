#if canImport(Glibc)
    import Glibc
#endif

/// Blocking calls with a deadline, for clients on worker threads: each retries the
/// non-blocking call, waiting with `poll` for as long as the deadline leaves.
extension TLSSession {
    /// Completes the handshake, or throws `.timeout` at `deadline`.
    public func handshake(deadline: ContinuousClock.Instant) throws(TLSError) {
        while true {
            switch try handshake() {
            case .complete: return
            case .wantRead: try wait(for: Int16(POLLIN), until: deadline, doing: "handshake")
            case .wantWrite: try wait(for: Int16(POLLOUT), until: deadline, doing: "handshake")
            }
        }
    }

    /// Reads at least one byte into `buffer`; 0 means the peer ended the stream.
    public func read(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant)
        throws(TLSError)
        -> Int
    {
        while true {
            switch try read(into: buffer) {
            case .bytes(let count): return count
            case .closed: return 0
            case .wantRead: try wait(for: Int16(POLLIN), until: deadline, doing: "read")
            case .wantWrite: try wait(for: Int16(POLLOUT), until: deadline, doing: "read")
            }
        }
    }

    /// Writes all of `bytes`.
    public func writeAll(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(TLSError) {
        var offset = 0
        while offset < bytes.count {
            let outcome = bytes.withUnsafeBytes { raw in
                Result { () throws(TLSError) in try write(UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            }
            switch try outcome.get() {
            case .bytes(let count): offset += count
            case .closed: throw TLSError(.closed, "write: the peer closed the connection")
            case .wantRead: try wait(for: Int16(POLLIN), until: deadline, doing: "write")
            case .wantWrite: try wait(for: Int16(POLLOUT), until: deadline, doing: "write")
            }
        }
    }

    /// Sends close_notify if the socket takes it before `deadline`; never throws, since the
    /// caller is closing anyway.
    public func close(deadline: ContinuousClock.Instant) {
        while true {
            let events: Int16
            switch shutdown() {
            case .complete: return
            case .wantRead: events = Int16(POLLIN)
            case .wantWrite: events = Int16(POLLOUT)
            }
            do {
                guard try SocketReadiness.wait(socket, for: events, until: deadline) else { return }
            } catch {
                return  // a failing socket cannot carry close_notify; the caller closes it next
            }
        }
    }

    private func wait(for events: Int16, until deadline: ContinuousClock.Instant, doing step: String)
        throws(TLSError)
    {
        guard try SocketReadiness.wait(socket, for: events, until: deadline) else {
            throw TLSError(.timeout, "\(step) did not finish in time")
        }
    }
}
