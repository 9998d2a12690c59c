import Outbound
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Connecting through the guard to real sockets on loopback.
@Suite struct OutboundConnectionTests {
    let loopbackAllowed = DestinationPolicy(allowing: [CIDR("127.0.0.0/8")!, CIDR("::1")!])

    @Test func connectsToAnAllowedLoopbackListenerAndExchangesBytes() throws {
        let listener = try Listener()
        let connection = try OutboundConnection.open(
            host: "127.0.0.1", port: listener.port, policy: loopbackAllowed, deadline: .now + .seconds(2))
        defer { connection.close() }
        let peer = try listener.acceptOne()
        defer { close(peer) }
        try connection.write(Array("hello".utf8), deadline: .now + .seconds(1))
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(recv(peer, &buffer, buffer.count, 0) == 5)
        _ = send(peer, "back", 4, 0)
        let count = try buffer.withUnsafeMutableBytes {
            try connection.read(into: $0, deadline: .now + .seconds(1))
        }
        #expect(Array(buffer.prefix(count)) == Array("back".utf8))
    }

    @Test func refusesLoopbackWithoutAnAllowListAndNeverConnects() throws {
        let listener = try Listener()
        let error = try #require(throws: OutboundError.self) {
            try OutboundConnection.open(
                host: "127.0.0.1", port: listener.port, policy: DestinationPolicy(),
                deadline: .now + .seconds(2))
        }
        #expect(error.kind == .refusedDestination)
        #expect(error.message.contains("loopback"))
        #expect(listener.hasPendingConnection() == false)
    }

    @Test func checksTheAddressesANameResolvesTo() throws {
        let listener = try Listener()
        let error = try #require(throws: OutboundError.self) {
            try OutboundConnection.open(
                host: "localhost", port: listener.port, policy: DestinationPolicy(),
                deadline: .now + .seconds(2))
        }
        #expect(error.kind == .refusedDestination)
        #expect(listener.hasPendingConnection() == false)
    }

    @Test func reportsAClosedPortAsAConnectFailure() throws {
        let closed = try ClosedPort()
        defer { withExtendedLifetime(closed) {} }
        let port = closed.port
        let error = try #require(throws: OutboundError.self) {
            try OutboundConnection.open(
                host: "127.0.0.1", port: port, policy: loopbackAllowed, deadline: .now + .seconds(2))
        }
        #expect(error.kind == .connect)
    }

    @Test func aReadEndsAtItsDeadlineWhenThePeerIsSilent() throws {
        let listener = try Listener()
        let connection = try OutboundConnection.open(
            host: "127.0.0.1", port: listener.port, policy: loopbackAllowed, deadline: .now + .seconds(2))
        defer { connection.close() }
        let start = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 16)
        let error = try #require(throws: OutboundError.self) {
            _ = try buffer.withUnsafeMutableBytes {
                try connection.read(into: $0, deadline: .now + .milliseconds(200))
            }
        }
        #expect(error.kind == .timeout)
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func creationTimeCheckRefusesLiteralsAndNamesButNotUnresolvableNames() throws {
        let strict = DestinationPolicy()
        for host in ["127.0.0.1", "::ffff:127.0.0.1", "169.254.169.254", "localhost", "2130706433"] {
            let error = try #require(throws: OutboundError.self, "\(host)") { try strict.checkHost(host) }
            #expect(error.kind == .refusedDestination)
        }
        try strict.checkHost("203.0.113.7")
        try strict.checkHost("no-such-host.invalid", resolveTimeout: .milliseconds(500))
        try loopbackAllowed.checkHost("localhost")
    }
}

/// A listening TCP socket on 127.0.0.1 with a free port.
final class Listener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw OutboundError(.io, "listener setup failed") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }

    func acceptOne() throws -> Int32 {
        let peer = accept(fd, nil, nil)
        guard peer >= 0 else { throw OutboundError(.io, "accept failed") }
        return peer
    }

    func hasPendingConnection() -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 50) > 0
    }
}
