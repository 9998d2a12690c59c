import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

@Suite struct KeepAliveAndPipeliningTests {
    @Test func servesSeveralRequestsOnOneConnection() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            for index in 0..<20 {
                let path = index % 2 == 0 ? "/healthz" : "/items/\(index)"
                let response = try client.exchange("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(response.status == 200)
                #expect(response.header("Connection") == nil)
            }
        }
    }

    @Test func answersPipelinedRequestsInOrderWhenASlowWorkerRequestComesFirst() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send(
                "GET /slow?ms=300 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /inline/second HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /items/third HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n\r\nfourth"
                    + "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let bodies = try (0..<5).map { _ in try client.readResponse().bodyText }
            #expect(bodies[0] == "slow 300")
            #expect(bodies[1] == "inline second")
            #expect(bodies[2].contains("\"id\":\"third\""))
            #expect(bodies[3] == "fourth")
            #expect(bodies[4] == #"{"status":"ok"}"#)
        }
    }

    @Test func answersPipelinedRequestsSentOneByteAtATime() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            let text = "GET /inline/a HTTP/1.1\r\nHost: t\r\n\r\nGET /inline/b HTTP/1.1\r\nHost: t\r\n\r\n"
            for byte in text.utf8 { try client.send([byte]) }
            #expect(try client.readResponse().bodyText == "inline a")
            #expect(try client.readResponse().bodyText == "inline b")
        }
    }

    @Test func stopsAfterAPipelinedConnectionClose() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send(
                "GET /inline/a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /inline/b HTTP/1.1\r\nHost: t\r\n\r\n"
            )
            let first = try client.readResponse()
            #expect(first.bodyText == "inline a")
            #expect(first.header("Connection") == "close")
            #expect(client.waitForClose())
        }
    }

    @Test func echoesKeepAliveToAnHTTP10ClientThatAskedForIt() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            for _ in 0..<3 {
                let response = try client.exchange("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                #expect(response.status == 200)
                #expect(response.header("Connection") == "keep-alive")
            }
        }
    }

    @Test func sendsContinueThenReadsTheBody() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            try client.send("hello")
            let final = try client.readResponse()
            #expect(final.status == 200)
            #expect(final.bodyText == "hello")
        }
    }

    @Test func answers413InsteadOfContinueWhenTheBodyIsTooLarge() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(client.waitForClose())
        }
    }

    @Test func answersHeadWithHeadersAndNoBody() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            let head = try client.exchange("HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n", forHead: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "15")
            #expect(head.body.isEmpty)
            // No stray body bytes: the next response parses cleanly.
            #expect(
                try client.exchange("GET /inline/next HTTP/1.1\r\nHost: t\r\n\r\n").bodyText == "inline next")
        }
    }

    @Test func honoursASaneRequestIDAndReplacesAnInsaneOne() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            let sane = try client.exchange(
                "GET /request-id HTTP/1.1\r\nHost: t\r\nX-Request-ID: abc-123_x.y\r\n\r\n")
            #expect(sane.bodyText == "abc-123_x.y")
            #expect(sane.header("X-Request-ID") == "abc-123_x.y")
            let insane = try client.exchange(
                "GET /request-id HTTP/1.1\r\nHost: t\r\nX-Request-ID: a b\"c\r\n\r\n")
            #expect(insane.bodyText != "a b\"c")
            #expect(insane.header("X-Request-ID") == insane.bodyText)
            #expect(insane.bodyText.count == 16)
            let tooLong = String(repeating: "a", count: 129)
            let long = try client.exchange(
                "GET /request-id HTTP/1.1\r\nHost: t\r\nX-Request-ID: \(tooLong)\r\n\r\n")
            #expect(long.bodyText != tooLong)
        }
    }

    @Test func reportsEachRequestToTheObserver() throws {
        let seen = Mutex<[CompletedRequest]>([])
        try TestServer.with(observer: { completed in seen.withLock { $0.append(completed) } }) { _, port in
            let client = try RawHTTPClient(port: port)
            _ = try client.exchange("GET /items/7 HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try client.exchange("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n")
        }
        let completed = seen.withLock { $0 }
        #expect(completed.map(\.status) == [200, 404])
        #expect(completed.first?.routePattern == "/items/{id}")
        #expect(completed.first?.path == "/items/7")
        #expect(completed.last?.routePattern == nil)
        #expect((completed.first?.responseBodyBytes ?? 0) > 0)
    }

    @Test func writesALargeResponseCompletelyAcrossPartialWrites() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port, timeout: .seconds(20))
            let response = try client.exchange("GET /big?mb=8 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(response.body.count == 8 * 1024 * 1024)
            #expect(response.body.allSatisfy { $0 == 0x61 })
            #expect(try client.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        }
    }

    @Test func readsABodyUpToTheLimitInChunks() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port, timeout: .seconds(20))
            let chunk = String(repeating: "z", count: 0x10000)
            let chunks = String(repeating: "10000\r\n\(chunk)\r\n", count: 16)
            let response = try client.exchange(
                "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n\(chunks)0\r\n\r\n")
            #expect(response.status == 200)
            #expect(response.body.count == 1024 * 1024)
        }
    }
}
