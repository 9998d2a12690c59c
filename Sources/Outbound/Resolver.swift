import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Host name resolution (`getaddrinfo`) bounded by a deadline.
///
/// `getaddrinfo` cannot be cancelled and follows only resolv.conf's own timeouts, so a name is
/// resolved on a short-lived thread of its own and the caller waits for it until the deadline;
/// a late answer is dropped when it comes.
public enum Resolver {
    /// The addresses `host` resolves to, in the resolver's order, without duplicates. A numeric
    /// host is returned as it is, without a lookup.
    public static func resolve(_ host: String, deadline: ContinuousClock.Instant) throws(OutboundError)
        -> [IPAddress]
    {
        if let literal = IPAddress(host) { return [literal] }
        guard !host.isEmpty, !host.utf8.contains(0) else {
            throw OutboundError(.invalidURL, "empty host name")
        }
        let lookup = Lookup()
        let thread = Thread {
            lookup.finish(with: Result { () throws(OutboundError) in try lookupNow(host) })
        }
        thread.start()
        guard let result = lookup.wait(until: deadline) else {
            throw OutboundError(.timeout, "resolving \(host) took too long")
        }
        return try result.get()
    }

    /// A blocking `getaddrinfo` for TCP addresses of either family.
    static func lookupNow(_ host: String) throws(OutboundError) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let list else {
            throw OutboundError(.dns, "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            if let address = current.pointee.ai_addr.flatMap(Self.address(of:)), !addresses.contains(address)
            {
                addresses.append(address)
            }
            entry = current.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw OutboundError(.dns, "\(host) has no IPv4 or IPv6 address") }
        return addresses
    }

    static func address(of socketAddress: UnsafeMutablePointer<sockaddr>) -> IPAddress? {
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                var raw = $0.pointee.sin_addr
                return IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })
            }
        case AF_INET6:
            return socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                var raw = $0.pointee.sin6_addr
                return IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })
            }
        default:
            return nil
        }
    }
}

/// One lookup's answer, handed from the resolving thread to the waiting one.
private final class Lookup: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<[IPAddress], OutboundError>?  // guarded by `condition`

    func finish(with result: Result<[IPAddress], OutboundError>) {
        condition.lock()
        self.result = result
        condition.broadcast()
        condition.unlock()
    }

    /// The answer, or nil when `deadline` passed first.
    func wait(until deadline: ContinuousClock.Instant) -> Result<[IPAddress], OutboundError>? {
        condition.lock()
        defer { condition.unlock() }
        while result == nil {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero { return nil }
            let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
            _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
        }
        return result
    }
}
