import HTTPServer
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ListeningTests {
    /// Whether this machine has an IPv6 loopback to test against.
    static let hasIPv6Loopback: Bool = {
        let probe = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { close(probe) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        inet_pton(AF_INET6, "::1", &address.sin6_addr)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(probe, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0
            }
        }
    }()

    @Test(.enabled(if: hasIPv6Loopback))
    func listensOnIPv4AndIPv6ByDefault() throws {
        try TestServer.with({ $0.host = nil }) { _, port in
            for host in ["127.0.0.1", "::1"] {
                let client = try RawHTTPClient(host: host, port: port)
                let response = try client.exchange("GET /remote HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(response.status == 200)
                #expect(response.bodyText.hasPrefix(host == "::1" ? "[::1]:" : "127.0.0.1:"))
            }
        }
    }

    @Test(.enabled(if: hasIPv6Loopback))
    func bindsOnlyTheRequestedAddress() throws {
        try TestServer.with({ $0.host = "127.0.0.1" }) { _, port in
            #expect(RawHTTPClient.canConnect(host: "127.0.0.1", port: port))
            #expect(!RawHTTPClient.canConnect(host: "::1", port: port))
        }
    }

    @Test func picksAFreePortWhenAskedForPortZero() throws {
        try TestServer.with { server, port in
            #expect(port > 0)
            #expect(server.boundPort == port)
            #expect(RawHTTPClient.canConnect(port: port))
        }
    }
}
