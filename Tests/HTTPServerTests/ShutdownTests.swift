import Foundation
import HTTPServer
import TestSupport
import Testing

@Suite struct ShutdownTests {
    private func startServer() throws -> HTTPServer {
        let server = HTTPServer(
            configuration: TestServer.configuration(), responder: TestRoutes.router(), logger: .disabled)
        try server.start()
        return server
    }

    @Test func finishesTheRequestInFlightRefusesNewConnectionsAndStops() throws {
        let server = try startServer()
        let port = server.boundPort
        let idle = try RawHTTPClient(port: port)
        #expect(try idle.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        let busy = try RawHTTPClient(port: port)
        try busy.send("GET /slow?ms=500 HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(100_000)
        let start = ContinuousClock.now
        server.shutdown(gracePeriod: .seconds(5))
        #expect(TestServer.eventually { !RawHTTPClient.canConnect(port: port) }, "listeners closed")
        #expect(idle.waitForClose(), "idle connections are closed at once")
        let response = try busy.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "slow 500")
        #expect(response.header("Connection") == "close")
        #expect(busy.waitForClose())
        busy.close()
        server.waitUntilStopped()
        #expect(TestServer.elapsed(since: start) < 3)
        #expect(server.openConnectionCount == 0)
    }

    @Test func forceClosesWhatIsLeftAfterTheGracePeriod() throws {
        let server = try startServer()
        let busy = try RawHTTPClient(port: server.boundPort)
        try busy.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(100_000)
        let start = ContinuousClock.now
        server.shutdown(gracePeriod: .milliseconds(200))
        #expect(busy.waitForClose(timeout: .seconds(2)), "closed without its response")
        #expect(TestServer.elapsed(since: start) < 1.2)
        server.waitUntilStopped()
    }

    @Test func resumesAsyncWaitersWhenStopped() async throws {
        let server = try startServer()
        let client = try RawHTTPClient(port: server.boundPort)
        #expect(try client.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        server.shutdown(gracePeriod: .seconds(2))
        await server.waitUntilStopped()
        #expect(server.openConnectionCount == 0)
        #expect(!RawHTTPClient.canConnect(port: server.boundPort))
    }

    @Test func stopsAServerThatWasNeverStarted() {
        let server = HTTPServer(responder: TestRoutes.router(), logger: .disabled)
        server.shutdown(gracePeriod: .seconds(1))
        server.waitUntilStopped()
        #expect(server.boundPort == 0)
    }

    @Test func refusesASecondStart() throws {
        let server = try startServer()
        #expect(throws: SocketError.self) { try server.start() }
        server.shutdown(gracePeriod: .seconds(1))
        server.waitUntilStopped()
    }
}
