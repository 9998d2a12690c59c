import CEpoll
import Log

#if canImport(Glibc)
    import Glibc
#endif

/// Opens the listening sockets: both wildcards (IPv4 `0.0.0.0` and IPv6 `::` with
/// `IPV6_V6ONLY`) by default, or the one address asked for; all on one port.
enum Listener {
    /// Binds every address for `host` on `port` (0: a free one, the same for all).
    /// Returns the non-blocking listening sockets and the port.
    static func open(host: String?, port: Int, backlog: Int, logger: Logger) throws(SocketError) -> (
        sockets: [Int32], port: Int
    ) {
        let addresses = try resolve(host)
        let dualStack = addresses.count > 1
        // With port 0 the first bind picks the port; another process may hold it on the
        // other family, so retry a few times.
        for _ in 0..<8 {
            var sockets: [Int32] = []
            var chosenPort = port
            do throws(SocketError) {
                for (index, address) in addresses.enumerated() {
                    do throws(SocketError) {
                        let socket = try bind(
                            address.with(port: chosenPort), v6Only: dualStack, backlog: backlog)
                        sockets.append(socket)
                        if chosenPort == 0 { chosenPort = try SocketAddress.localPort(of: socket) }
                    } catch let error
                        where host == nil && address.isIPv6 && index > 0
                        && (error.code == EAFNOSUPPORT || error.code == EADDRNOTAVAIL)
                    {
                        // A host without IPv6 still serves IPv4 on the default wildcard.
                        logger.warning("http.ipv6_unavailable", ["error": .string(error.description)])
                    }
                }
                return (sockets, chosenPort)
            } catch {
                for socket in sockets { close(socket) }
                if port != 0 || error.code != EADDRINUSE { throw error }
            }
        }
        throw SocketError(operation: "bind (no free port shared by IPv4 and IPv6)", code: EADDRINUSE)
    }

    /// The addresses to bind: the two wildcards, a numeric address, or a resolved name.
    static func resolve(_ host: String?) throws(SocketError) -> [SocketAddress] {
        guard let host, host != "*", !host.isEmpty else {
            return [
                SocketAddress(numericHost: "0.0.0.0", port: 0)!, SocketAddress(numericHost: "::", port: 0)!,
            ]
        }
        if let numeric = SocketAddress(numericHost: host, port: 0) { return [numeric] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let list else {
            throw SocketError(operation: "getaddrinfo \(host)", code: EADDRNOTAVAIL)
        }
        defer { freeaddrinfo(list) }
        var results: [SocketAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            if current.pointee.ai_family == AF_INET {
                current.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    var raw = $0.pointee.sin_addr
                    inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                }
            } else if current.pointee.ai_family == AF_INET6 {
                current.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    var raw = $0.pointee.sin6_addr
                    inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                }
            }
            if let address = SocketAddress(numericHost: SocketAddress.string(fromCString: text), port: 0),
                !results.contains(where: { $0.family == address.family })
            {
                results.append(address)
            }
            entry = current.pointee.ai_next
        }
        guard !results.isEmpty else {
            throw SocketError(operation: "getaddrinfo \(host)", code: EADDRNOTAVAIL)
        }
        return results
    }

    /// One listening socket: SO_REUSEADDR (restart without waiting for TIME_WAIT),
    /// non-blocking, close-on-exec.
    static func bind(_ address: SocketAddress, v6Only: Bool, backlog: Int) throws(SocketError) -> Int32 {
        let socket = Glibc.socket(
            address.family,
            Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw SocketError(operation: "socket") }
        var one: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if address.isIPv6 {
            var flag: Int32 = v6Only ? 1 : 0
            setsockopt(socket, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &flag, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = address.withSockaddr { Glibc.bind(socket, $0, $1) }
        guard bound == 0 else {
            let error = SocketError(operation: "bind", code: errno)
            close(socket)
            throw error
        }
        guard listen(socket, Int32(backlog)) == 0 else {
            let error = SocketError(operation: "listen", code: errno)
            close(socket)
            throw error
        }
        return socket
    }
}
