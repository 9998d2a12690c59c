#if canImport(Glibc)
    import Glibc
#endif

/// Opens a non-blocking TCP connection to one address before a deadline.
enum Connector {
    static func connect(to address: IPAddress, port: Int, deadline: ContinuousClock.Instant)
        throws(OutboundError) -> Int32
    {
        let family = address.isIPv4 ? AF_INET : AF_INET6
        let fd = socket(
            family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw OutboundError(.connect, "socket: \(String(cString: strerror(errno)))") }
        do {
            try start(fd, address: address, port: port, deadline: deadline)
        } catch {
            close(fd)
            throw error
        }
        var noDelay: Int32 = 1
        // Requests and SMTP commands are written whole; don't hold their last segment back.
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    private static func start(_ fd: Int32, address: IPAddress, port: Int, deadline: ContinuousClock.Instant)
        throws(OutboundError)
    {
        let result = withSocketAddress(address, port: port) { Glibc.connect(fd, $0, $1) }
        if result != 0 {
            guard errno == EINPROGRESS || errno == EINTR else { throw failure(address, port, errno) }
            guard try Readiness.isReady(fd, for: Int16(POLLOUT), until: deadline) else {
                throw OutboundError(.timeout, "connecting to \(address.uriText):\(port) took too long")
            }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            if code != 0 { throw failure(address, port, code) }
        }
    }

    private static func failure(_ address: IPAddress, _ port: Int, _ code: Int32) -> OutboundError {
        OutboundError(.connect, "\(address.uriText):\(port): \(String(cString: strerror(code)))")
    }

    private static func withSocketAddress<Result>(
        _ address: IPAddress, port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
    ) -> Result {
        if address.isIPv4 {
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &v4.sin_addr) { $0.copyBytes(from: address.bytes) }
            return withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        var v6 = sockaddr_in6()
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = in_port_t(UInt16(port).bigEndian)
        withUnsafeMutableBytes(of: &v6.sin6_addr) { $0.copyBytes(from: address.bytes) }
        return withUnsafePointer(to: &v6) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
    }
}
