import TLS
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Client and server sessions over a socket pair, driven by hand without blocking: the way an
/// epoll loop will drive the server side (issue 20) and the clients drive theirs with `poll`.
@Suite struct TLSSessionTests {
    let certificates: TestCertificates

    init() throws { certificates = try TestCertificates.shared() }

    @Test func nonBlockingHandshakeNegotiatesTLS12OrNewerAndALPNThenCarriesBytesBothWays() throws {
        let pair = try SocketPair()
        let client = try TLSSession.client(
            context: try .client(caFile: certificates.caFile), socket: pair.client, serverName: "localhost")
        let server = try TLSSession.server(context: try serverContext(), socket: pair.server)
        var sawWantRead = false
        try drive(client, server) { sawWantRead = sawWantRead || $0 == .wantRead }
        #expect(sawWantRead, "a non-blocking handshake must report want-read at least once")
        #expect(["TLSv1.2", "TLSv1.3"].contains(client.protocolVersion))
        #expect(client.negotiatedProtocol == "http/1.1")
        #expect(server.negotiatedProtocol == "http/1.1")

        try send(Array("ping".utf8), from: client, to: server)
        try send(Array("pong".utf8), from: server, to: client)
    }

    @Test func clientRefusesACertificateFromACAItWasNotGiven() throws {
        let pair = try SocketPair()
        let client = try TLSSession.client(
            context: try .client(), socket: pair.client, serverName: "127.0.0.1")
        let server = try TLSSession.server(context: try serverContext(), socket: pair.server)
        let error = try #require(throws: TLSError.self) { try drive(client, server) }
        #expect(error.kind == .verification)
        #expect(error.message.contains("certificate"))
    }

    @Test func clientRefusesACertificateIssuedForAnotherHostName() throws {
        let pair = try SocketPair()
        let client = try TLSSession.client(
            context: try .client(caFile: certificates.caFile), socket: pair.client, serverName: "localhost")
        let server = try TLSSession.server(
            context: try .server(
                certificateChainFile: certificates.otherHostCertificate,
                privateKeyFile: certificates.otherHostKey),
            socket: pair.server)
        let error = try #require(throws: TLSError.self) { try drive(client, server) }
        #expect(error.kind == .verification)
        #expect(error.message.contains("mismatch"))
    }

    @Test func clientMatchesAnIPAddressAgainstTheCertificatesIPNames() throws {
        let pair = try SocketPair()
        let client = try TLSSession.client(
            context: try .client(caFile: certificates.caFile), socket: pair.client, serverName: "::1")
        let server = try TLSSession.server(context: try serverContext(), socket: pair.server)
        try drive(client, server)
        #expect(client.negotiatedProtocol == "http/1.1")
    }

    @Test func serverPicksHTTP11FromAClientsListAndGoesOnWithoutALPNWhenThereIsNone() throws {
        for (offered, expected) in [(["h2", "http/1.1"], "http/1.1" as String?), (["h2"], nil)] {
            let pair = try SocketPair()
            let client = try TLSSession.client(
                context: try .client(caFile: certificates.caFile, alpn: offered), socket: pair.client,
                serverName: "localhost")
            let server = try TLSSession.server(context: try serverContext(), socket: pair.server)
            try drive(client, server)
            #expect(client.negotiatedProtocol == expected, "\(offered)")
            #expect(server.negotiatedProtocol == expected, "\(offered)")
        }
    }

    @Test func blockingHandshakeEndsAtItsDeadlineWhenThePeerNeverAnswers() throws {
        let pair = try SocketPair()
        let client = try TLSSession.client(
            context: try .client(caFile: certificates.caFile), socket: pair.client, serverName: "localhost")
        let start = ContinuousClock.now
        let error = try #require(throws: TLSError.self) {
            try client.handshake(deadline: .now + .milliseconds(300))
        }
        #expect(error.kind == .timeout)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .milliseconds(290) && elapsed < .seconds(2))
    }

    @Test func contextsReportUnreadableFilesAndMismatchedKeys() throws {
        let missing = try #require(throws: TLSError.self) {
            try TLSContext.client(caFile: "/nonexistent/ca.pem")
        }
        #expect(missing.kind == .configuration)
        #expect(missing.message.contains("/nonexistent/ca.pem"))
        let mismatched = try #require(throws: TLSError.self) {
            try TLSContext.server(
                certificateChainFile: certificates.serverCertificate,
                privateKeyFile: certificates.otherHostKey)
        }
        #expect(mismatched.kind == .configuration)
    }

    private func serverContext() throws -> TLSContext {
        try .server(
            certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey)
    }

    /// Alternates both handshakes until both are complete, as two event loops would.
    private func drive(
        _ client: TLSSession, _ server: TLSSession, observe: (TLSSession.Progress) -> Void = { _ in }
    )
        throws
    {
        var clientDone = false
        var serverDone = false
        for _ in 0..<100 where !(clientDone && serverDone) {
            if !clientDone {
                let progress = try client.handshake()
                observe(progress)
                clientDone = progress == .complete
            }
            if !serverDone {
                serverDone = try server.handshake() == .complete
            }
        }
        #expect(clientDone && serverDone)
    }

    private func send(_ bytes: [UInt8], from sender: TLSSession, to receiver: TLSSession) throws {
        let written = try bytes.withUnsafeBytes { try sender.write($0) }
        #expect(written == .bytes(bytes.count))
        var buffer = [UInt8](repeating: 0, count: 64)
        let read = try buffer.withUnsafeMutableBytes { try receiver.read(into: $0) }
        #expect(read == .bytes(bytes.count))
        #expect(Array(buffer.prefix(bytes.count)) == bytes)
        let nothing = try buffer.withUnsafeMutableBytes { try receiver.read(into: $0) }
        #expect(nothing == .wantRead)
    }
}

/// A connected pair of non-blocking Unix stream sockets, closed on release.
final class SocketPair {
    let client: Int32
    let server: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        guard socketpair(AF_UNIX, type, 0, &fds) == 0 else { throw TLSError(.io, "socketpair failed") }
        client = fds[0]
        server = fds[1]
    }

    deinit {
        close(client)
        close(server)
    }
}
