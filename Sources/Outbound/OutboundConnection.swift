import TLS

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP connection to a checked destination, plain or upgraded to TLS, with blocking reads
/// and writes that each end at a deadline. Used by one thread at a time.
public final class OutboundConnection {
    /// The socket (non-blocking); closed by `close()` or when the connection is released.
    public let socket: Int32
    /// The address actually connected to.
    public let remoteAddress: IPAddress
    public let port: Int
    /// The TLS session once `startTLS` has succeeded.
    public private(set) var tls: TLSSession?
    private var isClosed = false

    init(socket: Int32, remoteAddress: IPAddress, port: Int) {
        self.socket = socket
        self.remoteAddress = remoteAddress
        self.port = port
    }

    deinit { close() }

    /// Resolves `host`, refuses the destination if any of its addresses is restricted by
    /// `policy`, then connects to the addresses in turn until one accepts, all before
    /// `deadline`.
    public static func open(
        host: String, port: Int, policy: DestinationPolicy, deadline: ContinuousClock.Instant
    ) throws(OutboundError) -> OutboundConnection {
        guard (1...65535).contains(port) else {
            throw OutboundError(.invalidURL, "port \(port) is out of range")
        }
        let addresses = try Resolver.resolve(host, deadline: deadline)
        // Every answer is checked, not only the one used: a name that resolves to a public and
        // a private address is refused whole, so DNS cannot steer a retry inside.
        for address in addresses { try policy.check(address) }
        var failures: [String] = []
        for address in addresses {
            do {
                let socket = try Connector.connect(to: address, port: port, deadline: deadline)
                return OutboundConnection(socket: socket, remoteAddress: address, port: port)
            } catch {
                if error.kind == .timeout { throw error }
                failures.append(error.message)
            }
        }
        throw OutboundError(.connect, failures.joined(separator: "; "))
    }

    /// Starts TLS on the connection (at once for HTTPS and SMTPS, after STARTTLS for SMTP) and
    /// verifies the server's certificate for `serverName`.
    public func startTLS(context: TLSContext, serverName: String, deadline: ContinuousClock.Instant)
        throws(OutboundError)
    {
        do {
            let session = try TLSSession.client(context: context, socket: socket, serverName: serverName)
            try session.handshake(deadline: deadline)
            tls = session
        } catch {
            throw Self.translate(error)
        }
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(OutboundError) {
        if let tls {
            do { try tls.writeAll(bytes, deadline: deadline) } catch { throw Self.translate(error) }
            return
        }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                send(socket, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                try Readiness.wait(socket, for: Int16(POLLOUT), until: deadline, doing: "write")
            } else if sent < 0 && errno == EINTR {
                continue
            } else {
                throw Self.socketFailure("write", errno)
            }
        }
    }

    /// Reads at least one byte into `buffer` and returns how many; 0 means the peer closed.
    public func read(into buffer: UnsafeMutableRawBufferPointer, deadline: ContinuousClock.Instant)
        throws(OutboundError) -> Int
    {
        if let tls {
            do { return try tls.read(into: buffer, deadline: deadline) } catch { throw Self.translate(error) }
        }
        while true {
            let count = recv(socket, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return count }
            switch errno {
            case EAGAIN, EWOULDBLOCK:
                try Readiness.wait(socket, for: Int16(POLLIN), until: deadline, doing: "read")
            case EINTR: continue
            default: throw Self.socketFailure("read", errno)
            }
        }
    }

    /// Sends TLS close_notify if it goes out at once, then closes the socket. Idempotent.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        tls?.close(deadline: .now)
        tls = nil
        Glibc.close(socket)
    }

    private static func socketFailure(_ step: String, _ code: Int32) -> OutboundError {
        if code == ECONNRESET || code == EPIPE {
            return OutboundError(.closed, "\(step): the peer closed the connection")
        }
        return OutboundError(.io, "\(step): \(String(cString: strerror(code)))")
    }

    static func translate(_ error: TLSError) -> OutboundError {
        switch error.kind {
        case .timeout: OutboundError(.timeout, "TLS \(error.message)")
        case .closed: OutboundError(.closed, "TLS \(error.message)")
        case .io: OutboundError(.io, "TLS \(error.message)")
        case .configuration, .handshake, .verification: OutboundError(.tls, error.message)
        }
    }
}
