import Foundation
import HTTPServer
import TestSupport
import Testing

/// Timeouts configured to one second; the sweep runs every quarter of that.
@Suite struct TimeoutTests {
    @Test func answers408AndClosesWhenHeadersAreNotCompleteInTime() throws {
        try TestServer.with(TestServer.shortTimeouts) { _, port in
            let client = try RawHTTPClient(port: port)
            let start = ContinuousClock.now
            try client.send("GET /healthz HTTP/1.1\r\nHo")
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(response.header("Connection") == "close")
            #expect(TestServer.elapsed(since: start) >= 0.9)
            #expect(client.waitForClose())
        }
    }

    @Test func cutsOffAClientTricklingHeaderBytes() throws {
        try TestServer.with(TestServer.shortTimeouts) { _, port in
            let client = try RawHTTPClient(port: port)
            let start = ContinuousClock.now
            // One byte every 100 ms keeps the connection busy but never finishes the head.
            for byte in "GET /healthz HTTP/1.1\r\nX-Slow: ".utf8 {
                try client.send([byte])
                usleep(100_000)
                if TestServer.elapsed(since: start) > 1.6 { break }
            }
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(TestServer.elapsed(since: start) < 2.5)
        }
    }

    @Test func answers408WhenTheBodyStopsArriving() throws {
        try TestServer.with(TestServer.shortTimeouts) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(client.waitForClose())
        }
    }

    @Test func closesAnIdleKeepAliveConnectionSilently() throws {
        try TestServer.with(TestServer.shortTimeouts) { _, port in
            let client = try RawHTTPClient(port: port)
            #expect(try client.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
            let start = ContinuousClock.now
            #expect(client.waitForClose(timeout: .seconds(3)), "closed without a response")
            #expect(TestServer.elapsed(since: start) >= 0.9)
        }
    }

    @Test func closesAConnectionThatNeverSendsAByte() throws {
        try TestServer.with(TestServer.shortTimeouts) { server, port in
            let client = try RawHTTPClient(port: port)
            #expect(client.waitForClose(timeout: .seconds(3)))
            #expect(TestServer.eventually { server.openConnectionCount == 0 })
        }
    }

    @Test func closesAClientThatDoesNotReadItsResponse() throws {
        try TestServer.with(TestServer.shortTimeouts) { server, port in
            let client = try RawHTTPClient(port: port)
            // Far more than the socket buffers hold, so the server's writes stall.
            try client.send("GET /big?mb=64 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(TestServer.eventually { server.openConnectionCount == 1 })
            #expect(TestServer.eventually(within: .seconds(4)) { server.openConnectionCount == 0 })
        }
    }
}
