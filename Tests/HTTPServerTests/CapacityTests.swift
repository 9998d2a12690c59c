import Foundation
import HTTPServer
import TestSupport
import Testing

@Suite struct CapacityTests {
    @Test func answers503AndClosesConnectionsOverTheCap() throws {
        try TestServer.with({ $0.maxConnections = 2 }) { server, port in
            let first = try RawHTTPClient(port: port)
            let second = try RawHTTPClient(port: port)
            #expect(try first.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
            #expect(try second.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
            let third = try RawHTTPClient(port: port)
            let refused = try third.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
            #expect(refused.header("Connection") == "close")
            #expect(third.waitForClose())
            // Once a slot frees up, new connections are served again.
            first.shutdownWrite()
            #expect(first.waitForClose())
            #expect(TestServer.eventually { server.openConnectionCount <= 1 })
            let fourth = try RawHTTPClient(port: port)
            #expect(try fourth.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        }
    }

    @Test func answers503WithRetryAfterWhenTheWorkerQueueIsFull() throws {
        let configure: (inout HTTPServerConfiguration) -> Void = {
            $0.workerCount = 1
            $0.workerQueueCapacity = 1
        }
        try TestServer.with(configure) { server, port in
            let busy = try RawHTTPClient(port: port)
            try busy.send("GET /slow?ms=600 HTTP/1.1\r\nHost: t\r\n\r\n")
            usleep(100_000)
            let queued = try RawHTTPClient(port: port)
            try queued.send("GET /slow?ms=10 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(TestServer.eventually { server.queuedRequestCount == 1 })
            let rejected = try RawHTTPClient(port: port)
            let response = try rejected.exchange("GET /slow?ms=10 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(response.status == 503)
            #expect(response.header("Retry-After") == "1")
            #expect(response.header("Content-Type") == "application/problem+json")
            // Inline routes still answer, and the refused connection stays usable.
            #expect(try rejected.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
            #expect(try busy.readResponse().status == 200)
            #expect(try queued.readResponse().status == 200)
        }
    }

    @Test func holdsAThousandKeepAliveConnectionsAndAnswersEach() throws {
        try TestServer.with({ $0.maxConnections = 10_000 }) { server, port in
            let clients = try (0..<1000).map { _ in try RawHTTPClient(port: port, timeout: .seconds(10)) }
            for client in clients { try client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n") }
            var served = 0
            for client in clients where try client.readResponse().status == 200 { served += 1 }
            #expect(served == 1000)
            #expect(server.openConnectionCount == 1000)
            // Still open: a second round on every connection.
            for client in clients { try client.send("GET /inline/again HTTP/1.1\r\nHost: t\r\n\r\n") }
            for client in clients { #expect(try client.readResponse().bodyText == "inline again") }
        }
    }
}
